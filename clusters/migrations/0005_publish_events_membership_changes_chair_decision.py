import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0004_sources_and_provenance"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="clusteryear",
            name="chair_decision_date",
            field=models.DateField(
                blank=True, null=True, verbose_name="ngày quyết định chỉ định Cụm trưởng"
            ),
        ),
        migrations.AddField(
            model_name="clusteryear",
            name="chair_decision_number",
            field=models.CharField(
                blank=True,
                help_text="Khi Bộ chỉ định Cụm trưởng bằng quyết định thay vì luân phiên.",
                max_length=80,
                verbose_name="số quyết định chỉ định Cụm trưởng",
            ),
        ),
        migrations.AddField(
            model_name="historicalclusteryear",
            name="chair_decision_date",
            field=models.DateField(
                blank=True, null=True, verbose_name="ngày quyết định chỉ định Cụm trưởng"
            ),
        ),
        migrations.AddField(
            model_name="historicalclusteryear",
            name="chair_decision_number",
            field=models.CharField(
                blank=True,
                help_text="Khi Bộ chỉ định Cụm trưởng bằng quyết định thay vì luân phiên.",
                max_length=80,
                verbose_name="số quyết định chỉ định Cụm trưởng",
            ),
        ),
        migrations.CreateModel(
            name="MembershipChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[("add", "Bổ sung vào cụm"), ("remove", "Đưa ra khỏi cụm")],
                        max_length=10,
                        verbose_name="thay đổi",
                    ),
                ),
                (
                    "decision_number",
                    models.CharField(blank=True, max_length=80, verbose_name="số quyết định của Bộ"),
                ),
                (
                    "decision_date",
                    models.DateField(blank=True, null=True, verbose_name="ngày quyết định"),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="ghi chú")),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="lúc ghi")),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người ghi",
                    ),
                ),
                (
                    "cluster_year",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="membership_changes",
                        to="clusters.clusteryear",
                        verbose_name="năm thi đua của cụm",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="membership_changes",
                        to="clusters.unit",
                        verbose_name="đơn vị",
                    ),
                ),
            ],
            options={
                "verbose_name": "thay đổi thành viên",
                "verbose_name_plural": "thay đổi thành viên",
                "ordering": ["cluster_year", "decision_date", "id"],
            },
        ),
        migrations.CreateModel(
            name="PublishEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[("publish", "Công bố"), ("reopen", "Mở lại")],
                        max_length=10,
                        verbose_name="thao tác",
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="lúc")),
                (
                    "checklist",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Mỗi mục: key, section, text; như lúc công bố.",
                        verbose_name="các mục còn dở đã chấp nhận",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="ghi chú")),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Trống khi thực hiện từ dòng lệnh (nạp dữ liệu mẫu).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người thực hiện",
                    ),
                ),
                (
                    "cluster_year",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="publish_events",
                        to="clusters.clusteryear",
                        verbose_name="năm thi đua của cụm",
                    ),
                ),
            ],
            options={
                "verbose_name": "lần công bố, mở lại",
                "verbose_name_plural": "lần công bố, mở lại",
                "ordering": ["-at", "-id"],
            },
        ),
    ]

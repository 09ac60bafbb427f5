"""The publish checklist: what is still unfinished in a year, gathered from every app.

Each installed app of ours may define `checklist.py` with
`items(cluster_year, bundle=None) -> list[Item]`
(reports: units that have not reported, warnings not acknowledged; awards: nominations without a
decision; welfare: funds still collecting, houses not handed over). The clerk sees every item,
ticks the ones they accept, and publishes; the service refuses while an item is not ticked, and the
list is kept with the publish event. Discovery by app registry keeps the layers: clusters never
imports the apps above it. The providers read through the request's YearBundle
(clusters.bundle) when given one: the edit page's sections have read the same records already.
"""

from dataclasses import asdict, dataclass
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from clusters.bundle import YearBundle, bundle_for


@dataclass(frozen=True)
class Item:
    key: str  # stable for the same finding, e.g. "reports:missing:unit-12"
    section: str  # the edit page's section anchor: "reports", "awards", "welfare", ...
    text: str  # one Vietnamese sentence

    def as_dict(self) -> dict:
        return asdict(self)


def providers():
    found = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "checklist") and config.name != "clusters":
            found.append(import_module(f"{config.name}.checklist").items)
    return found


def items_for(cluster_year, bundle: YearBundle | None = None) -> list[Item]:
    bundle = bundle_for(cluster_year, bundle)
    items = []
    for provide in providers():
        items.extend(provide(cluster_year, bundle=bundle))
    return items

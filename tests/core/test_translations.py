"""The English catalogue is complete: no fuzzy guess of msgmerge, no untranslated string."""

from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries():
    block = []
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines() + [""]:
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []


def field(block, keyword):
    """The text of msgid/msgstr/msgstr[0] in one entry, continuation lines joined."""
    text, inside = "", False
    for line in block:
        if line.startswith(keyword + " "):
            inside, text = True, line[len(keyword) + 1 :].strip().strip('"')
        elif inside and line.startswith('"'):
            text += line.strip().strip('"')
        else:
            inside = False if not line.startswith('"') else inside
    return text


def test_no_fuzzy_and_no_untranslated_english():
    problems = []
    for block in entries():
        msgid = field(block, "msgid")
        if not msgid or block[0].startswith("#~"):
            continue
        if any(line.startswith("#,") and "fuzzy" in line for line in block):
            problems.append(f"fuzzy: {msgid}")
        translated = field(block, "msgstr") or field(block, "msgstr[0]")
        if not translated:
            problems.append(f"untranslated: {msgid}")
    assert not problems, "\n".join(problems)

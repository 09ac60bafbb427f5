"""Who may open a source's file beyond seeing its year. The apps above clusters whose papers are
kept as sources (the emulation cycle's evidence for scores, signed pledges, the dossier sent to
the Ministry) register a guard here from their AppConfig.ready(), so that the file's address asks
them without clusters importing upward (DESIGN §2).

A guard is `guard(user, source) -> bool | None`: False refuses, True or None (not one of its
papers) leaves the decision to the year's rule."""

GUARDS: list = []


def register(guard):
    if guard not in GUARDS:
        GUARDS.append(guard)
    return guard


def refused(user, source) -> bool:
    return any(guard(user, source) is False for guard in GUARDS)

import pytest


def pytest_collection_modifyitems(items):
    """Everything under tests/perf is a benchmark: `make bench` runs it, `make test` does not."""
    for item in items:
        if "/tests/perf/" in str(item.fspath):
            item.add_marker(pytest.mark.bench)

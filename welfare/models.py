# Filled by a later issue (see ../shared/DESIGN.md §3); the app is installed from the start so
# that its migrations begin from the same project history as the others.

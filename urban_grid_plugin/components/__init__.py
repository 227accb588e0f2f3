"""Components (部件) at city scale: import, validate, assign to grid cells, code, count.

Public entry points: :func:`importer.import_components`, :func:`census.census`,
:func:`census.find_duplicates`, :func:`store.change_component`, :func:`store.as_of`,
:func:`store.history`.
"""

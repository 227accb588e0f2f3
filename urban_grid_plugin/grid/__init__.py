"""Unit grid (万米单元网格): hierarchy, generation, numbering, checks and history.

Modules:

- :mod:`.codes` — 15-digit GB/T 30428.1 codes, legacy 14-digit CJ/T 213 codes, validators;
- :mod:`.hierarchy` — 区 → 街道 → 社区 input with the bad-input checks;
- :mod:`.lattice`, :mod:`.barrier` — the two ways to generate cells; :mod:`.topology`
  makes neighbours across community boundaries share vertices;
- :mod:`.numbering` — west→east, north→south sequence numbers;
- :mod:`.build` — read, generate, number, keep history and store in one go;
- :mod:`.check` — grid QA with code and location of every problem;
- :mod:`.history`, :mod:`.edit` — retire, edit, re-grid without reusing codes;
- :mod:`.store` — project GeoPackage tables and :func:`.store.read_active_cells`;
- :mod:`.convert` — convert a layer's legacy codes; :mod:`.importer` — import an existing
  (e.g. CJ/T 213) grid; :mod:`.commands` — ``urbangrid grid``.
"""

"""Unit grid (万米单元网格): hierarchy, generation, numbering, checks and history."""

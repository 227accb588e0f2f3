"""Imagery epochs and change detection: find new construction (新增违建) between epochs.

Modules: :mod:`.epochs` registers epochs (影像时相) in the project, :mod:`.align` puts a
pair on one grid, :mod:`.features` / :mod:`.detect` find building-like change
(training-free), :mod:`.onnx_detector` runs a user model, :mod:`.polygons` turns the
mask into candidate polygons (图斑), :mod:`.lists` compares them with the permit,
known-violation and demolished lists and :mod:`.evidence` writes before/after chips.
"""

"""Training, tuning, calibration and evaluation of the models in models/.

The runtime (`assistant/`) only loads what this package writes; it never imports it
(tests/test_layering.py). `python -m assistant train|evaluate` and `python -m training`
are the entry points.
"""

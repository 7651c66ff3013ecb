"""Where the NLP layer finds its data and models, and the user's configuration."""
from __future__ import annotations

import os
from pathlib import Path

from ..config import ROOT, load as config  # noqa: F401  (config: re-exported for the NLP modules)

CORPUS = ROOT / "corpus"
THEMES = CORPUS / "themes"
KNOWLEDGE = CORPUS / "knowledge"
MODELS = Path(os.environ.get("ASSISTANT_MODELS", ROOT / "models"))

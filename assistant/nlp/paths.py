"""Where the NLP layer finds its data and models."""
from __future__ import annotations

import os
from pathlib import Path

from ..config import ROOT

CORPUS = ROOT / "corpus"
THEMES = CORPUS / "themes"
KNOWLEDGE = CORPUS / "knowledge"
MODELS = Path(os.environ.get("ASSISTANT_MODELS", ROOT / "models"))

"""Shared figure style and saving (matplotlib only: no LaTeX, no external merge tools)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

if TYPE_CHECKING:  # annotations only
    from collections.abc import Sequence

    from matplotlib.axes import Axes

STYLE = {
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "legend.fontsize": 7,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 150,
    "savefig.dpi": 200,
    "pdf.fonttype": 42,
    "svg.hashsalt": "cortexflow",
}
E_COLOR, I_COLOR = "#b2182b", "#2166ac"


def apply_style() -> None:
    plt.rcParams.update(STYLE)


def panel_label(ax: Axes, letter: str) -> None:
    ax.text(-0.15, 1.05, letter, transform=ax.transAxes, fontsize=10, fontweight="bold", va="bottom")


def save_figure(fig: plt.Figure, paths: Sequence[str | Path], metadata: dict | None = None) -> None:
    """Save ``fig`` to every path (PDF and/or PNG) atomically, with reproducible metadata.

    ``metadata`` (e.g. rule, config digest, commit) goes into the PDF info dictionary and PNG text chunks.
    """
    meta = {str(k): str(v) for k, v in (metadata or {}).items()}
    for path in paths:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(".tmp-" + path.name)
        if path.suffix == ".pdf":
            # the PDF info dictionary takes only its standard keys; provenance goes into Keywords
            pdf_meta = {"Creator": "cortexflow", "CreationDate": None}
            pdf_meta.update({k: v for k, v in meta.items() if k in ("Title", "Author", "Subject", "Keywords")})
            fig.savefig(tmp, format="pdf", metadata=pdf_meta)
        elif path.suffix == ".png":
            fig.savefig(tmp, format="png", metadata={"Software": "cortexflow", **meta})
        else:
            fig.savefig(tmp)
        os.replace(tmp, path)
    plt.close(fig)

"""The index of past records' words that finds similar cases (no database here).

TF-IDF of words and word pairs, unit length, kept column by column (CSC): a new text's
similarity to every record is the sum, over the few words it has, of that word's column
times its weight, so a query reads only the records that share a word with it, not the
whole index. Words in more than half of all records say nothing about which are alike
and are left out (``max_df``).
"""

from __future__ import annotations

import numpy as np

CANDIDATES = 100  # nearest records looked up before the database drops those not to be shown


class SimilarIndex:
    def __init__(self, ids: list[int], texts: list[str]):
        from sklearn.feature_extraction.text import TfidfVectorizer  # slow to import: only when built

        self.vectorizer = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                          max_df=0.5 if len(texts) > 20 else 1.0,
                                          token_pattern=r"(?u)\b[^\W\d_]{2,}\b", dtype=np.float32)
        matrix = self.vectorizer.fit_transform(texts) if texts else None
        self.ids = np.asarray(ids, dtype=np.int64)
        self.columns = matrix.tocsc() if matrix is not None else None

    def __len__(self) -> int:
        return len(self.ids)

    def nearest(self, text: str, limit: int = CANDIDATES) -> list[tuple[int, float]]:
        """The ids of the records most like ``text``, most similar first, with the cosine
        similarity (0 to 1); records sharing no word with it are never returned."""
        if self.columns is None or not text.strip():
            return []
        query = self.vectorizer.transform([text])
        if not query.nnz:
            return []
        scores = self.columns[:, query.indices] @ query.data
        found = np.flatnonzero(scores)
        if len(found) > limit:
            found = found[np.argpartition(-scores[found], limit - 1)[:limit]]
        found = found[np.lexsort((self.ids[found], -scores[found]))]
        return [(int(self.ids[i]), float(scores[i])) for i in found]

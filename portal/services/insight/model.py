"""The text model: from what a person wrote to the likely theme or team, with how sure it
is and the words that drove it.

docs/insight.md. Two views of the text are joined: TF-IDF of words and word pairs (what
a record is about) and TF-IDF of character n-grams within words (which forgives the typos
and word endings people write: "assesment", "allowence"). The features are computed
once and shared by the theme and the team. A linear classifier is trained on them with the
logistic loss, whose probabilities are calibrated by what it minimises, so that a
confidence of 0.7 means roughly seven in ten are right. Everything is
scikit-learn, fitted here on the organisation's own records: nothing is downloaded and no
word list comes from outside.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
# scikit-learn is imported where a model is built, not here: it takes seconds to import, and
# every web process imports this module (the inbox's suggestions) long before it needs it.

TOP = 3  # suggestions shown for each of theme and team
WORDS_SHOWN = 3  # words given as the reason for a suggestion
FORMAT = 2  # of the stored model: 1 was a pipeline per label, 2 one shared set of features


def text_of(summary: str | None, desired_outcome: str | None = None) -> str:
    """What the model reads of a record: what the person told us and what they want."""
    return " ".join(part for part in (summary, desired_outcome) if part)


@dataclass(frozen=True)
class Suggestion:
    name: str  # a theme's or a team's name
    confidence: float  # 0 to 1
    words: tuple[str, ...]  # the words of the text that most pushed towards it


CHARS_SAMPLE = 20_000  # texts the character n-grams are learned from, at most
CHUNK = 20_000  # texts counted at a time


class Features:
    """The two views of the text, fitted once on the training texts and shared by the theme
    and the team classifiers (computing them is most of training's time)."""

    def __init__(self, texts: list[str]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1,
                                     lowercase=True, token_pattern=r"(?u)\b[^\W\d_]{2,}\b", dtype=np.float32)
        # Capped: beyond the commonest 20,000 character n-grams the accuracy did not change on
        # the test records, and the cap bounds the model's size and memory.
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2,
                                     lowercase=True, max_features=20_000, dtype=np.float32)
        # Memory (docs/performance.md): the character n-grams kept are learned from a sample
        # (to keep the commonest 20,000 the vectorizer counts every n-gram of every text it
        # learns from), and the texts are counted a chunk at a time into one matrix.
        self.words.fit(texts)
        self.chars.fit(texts if len(texts) <= CHARS_SAMPLE else random.Random(0).sample(texts, CHARS_SAMPLE))
        self.matrix = _stacked([self.transform(texts[i:i + CHUNK]) for i in range(0, len(texts), CHUNK)])
        self.names = self.words.get_feature_names_out()

    @staticmethod
    def _join(words, chars):
        from scipy.sparse import hstack

        return hstack([words, chars], format="csr", dtype=np.float32)

    def transform(self, texts: list[str]):
        return self._join(self.words.transform(texts), self.chars.transform(texts))


def _stacked(chunks: list):
    """The chunks' rows as one CSR matrix, each chunk let go once copied: the result's
    arrays are reserved whole but filled (and so take memory) chunk by chunk, where
    scipy's vstack holds every chunk and the whole result at once."""
    from scipy.sparse import csr_matrix

    rows, columns = sum(c.shape[0] for c in chunks), chunks[0].shape[1]
    nnz = sum(c.nnz for c in chunks)
    index = np.int32 if max(nnz, columns) < 2**31 else np.int64
    data, indices = np.empty(nnz, np.float32), np.empty(nnz, index)
    indptr = np.zeros(rows + 1, index)
    at = row = 0
    chunks.reverse()
    while chunks:
        chunk = chunks.pop()
        data[at:at + chunk.nnz], indices[at:at + chunk.nnz] = chunk.data, chunk.indices
        indptr[row + 1:row + 1 + chunk.shape[0]] = chunk.indptr[1:] + at
        at, row = at + chunk.nnz, row + chunk.shape[0]
    return csr_matrix((data, indices, indptr), shape=(rows, columns), copy=False)


def _classifier():
    """A linear classifier trained by stochastic gradient descent on the logistic loss: its
    probabilities need no separate calibration folds, and it trains in one pass of a few
    epochs where the calibrated SVC fitted four models on three folds (docs/performance.md)."""
    from sklearn.linear_model import SGDClassifier

    return SGDClassifier(loss="log_loss", alpha=1e-4, max_iter=50, tol=1e-4, random_state=0)


class Classifier:
    """One label (theme or team) learned from texts; ``features`` and ``matrix`` shared with
    the other label's classifier when given (the rows of ``matrix`` are ``texts``)."""

    def __init__(self, texts: list[str], labels: list[str], features: Features | None = None, matrix=None):
        if len(set(labels)) < 2:
            raise ValueError("at least two different labels are needed to learn from")
        if features is None:
            features = Features(texts)
            matrix = features.matrix
        self.features = features
        self.model = _classifier().fit(matrix, labels)
        self.classes: list[str] = [str(c) for c in self.model.classes_]
        coefs = self.model.coef_
        if coefs.shape[0] == 1:  # two labels: one row, for the second
            coefs = np.vstack([-coefs[0], coefs[0]])
        # Each label's weight for each word feature: what ``words`` reads to explain a suggestion.
        self._word_weights = np.ascontiguousarray(coefs[:, :len(features.names)], dtype=np.float32)

    def probabilities(self, texts: list[str], rows=None) -> np.ndarray:
        return self.model.predict_proba(self.features.transform(texts) if rows is None else rows)

    def first(self, texts: list[str]) -> list[Suggestion]:
        """The likeliest label of each text at once (the inbox's rows), without the words."""
        if not texts:
            return []
        probabilities = self.probabilities(texts)
        best = np.argmax(probabilities, axis=1)
        return [Suggestion(self.classes[i], float(row[i]), ()) for row, i in zip(probabilities, best)]

    def suggest(self, text: str, top: int = TOP) -> list[Suggestion]:
        row = self.features.transform([text])
        probabilities = self.probabilities([text], row)[0]
        words = row[:, :len(self.features.names)]
        order = np.argsort(-probabilities, kind="stable")[:top]
        return [Suggestion(self.classes[i], float(probabilities[i]),
                           _driving_words(words, self._word_weights[i], self.features.names)) for i in order]


def _says_nothing(word: str) -> bool:
    """A word, or a pair, made only of words like "the", "and", "for" (scikit-learn's own
    English stop words, shipped with it): it may weigh in the model, but as the reason for
    a suggestion it tells the reader nothing ("and the", "for the")."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return all(part in ENGLISH_STOP_WORDS for part in word.split())


def _driving_words(row, weights: np.ndarray, names) -> tuple[str, ...]:
    """The words of the text whose weight times presence pushes most towards the label;
    a pair of words is shown when it outweighs both of its words. Stop words alone, or
    a pair of them, are never given as the reason (``_says_nothing``)."""
    columns = row.indices
    if not len(columns):
        return ()
    contribution = row.data * weights[columns]
    ranked = [columns[i] for i in np.argsort(-contribution, kind="stable") if contribution[i] > 0]
    chosen: list[str] = []
    for column in ranked:
        word = str(names[column])
        if _says_nothing(word) or any(word in c or c in word for c in chosen):
            continue
        chosen.append(word)
        if len(chosen) == WORDS_SHOWN:
            break
    return tuple(chosen)


def top_k_accuracy(classifier: Classifier, texts: list[str], labels: list[str]) -> dict[str, float]:
    """The share of texts whose true label is the first suggestion, and among the first three.
    A label the classifier never saw counts as missed."""
    if not texts:
        return {"top1": 0.0, "top3": 0.0}
    probabilities = classifier.probabilities(texts)
    order = np.argsort(-probabilities, axis=1, kind="stable")
    top1 = top3 = 0
    for ranked, label in zip(order, labels):
        names = [classifier.classes[i] for i in ranked[:TOP]]
        top1 += names[0] == label
        top3 += label in names
    return {"top1": top1 / len(texts), "top3": top3 / len(texts)}


def per_label_accuracy(classifier: Classifier, texts: list[str], labels: list[str]) -> dict[str, dict]:
    """For each true label: how many held-back texts had it and how many were suggested first."""
    out: dict[str, dict] = {}
    if not texts:
        return out
    probabilities = classifier.probabilities(texts)
    for row, label in zip(probabilities, labels):
        entry = out.setdefault(label, {"records": 0, "top1": 0})
        entry["records"] += 1
        entry["top1"] += classifier.classes[int(np.argmax(row))] == label
    return dict(sorted(out.items()))

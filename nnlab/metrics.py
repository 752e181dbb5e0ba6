"""Classification metrics, the course's p = ½(TPR + TNR) among them, and regression's R² and RMSE
(scikit-learn underneath)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn import metrics as skm


def predicted_classes(probabilities: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Class per row of (n, k) probabilities; for k = 2 the positive class needs `threshold`."""
    if probabilities.shape[1] == 2:
        return (probabilities[:, 1] >= threshold).astype(np.int64)
    return probabilities.argmax(axis=1)


def classification_metrics(y_true: np.ndarray, probabilities: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    """accuracy, balanced_accuracy (p), precision, recall, f1 (macro for k > 2) and log loss."""
    probabilities = np.asarray(probabilities, np.float64)  # float32 rows miss 1 by ~1e-8; log_loss warns
    k = probabilities.shape[1]
    y_pred = predicted_classes(probabilities, threshold)
    average = "binary" if k == 2 else "macro"
    return {
        "accuracy": float(skm.accuracy_score(y_true, y_pred)),
        "balanced_accuracy": float(skm.balanced_accuracy_score(y_true, y_pred)),
        "precision": float(skm.precision_score(y_true, y_pred, average=average, zero_division=0)),
        "recall": float(skm.recall_score(y_true, y_pred, average=average, zero_division=0)),
        "f1": float(skm.f1_score(y_true, y_pred, average=average, zero_division=0)),
        "loss": float(skm.log_loss(y_true, _safe_probabilities(probabilities), labels=list(range(k)))),
    }


def regression_metrics(y_true: np.ndarray, predictions: np.ndarray) -> dict[str, float]:
    """r2 (1 − SSE/SST: 1 is perfect, 0 is no better than predicting the mean), rmse and mae."""
    y_pred = np.asarray(predictions, np.float64).reshape(-1)
    y_true = np.asarray(y_true, np.float64).reshape(-1)
    return {
        "r2": float(skm.r2_score(y_true, y_pred)),
        "rmse": float(np.sqrt(skm.mean_squared_error(y_true, y_pred))),
        "mae": float(skm.mean_absolute_error(y_true, y_pred)),
    }


def _safe_probabilities(probabilities: np.ndarray) -> np.ndarray:
    """Rows kept off exact 0 (log 0) and summing to 1 again, as log_loss checks."""
    clipped = np.clip(probabilities, 1e-7, 1)
    return clipped / clipped.sum(axis=1, keepdims=True)


def confusion_table(y_true: np.ndarray, y_pred: np.ndarray, class_names: tuple[str, ...]) -> pd.DataFrame:
    """Long table (true, predicted, count) with every pair present, zeros included."""
    matrix = skm.confusion_matrix(y_true, y_pred, labels=list(range(len(class_names))))
    rows = [
        {"true": class_names[i], "predicted": class_names[j], "count": int(matrix[i, j])}
        for i in range(len(class_names))
        for j in range(len(class_names))
    ]
    return pd.DataFrame(rows)


def outcome_labels(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """'TP', 'TN', 'FP' or 'FN' per sample of a two-class problem."""
    names = np.array([["TN", "FP"], ["FN", "TP"]])
    return names[y_true.astype(int), y_pred.astype(int)]

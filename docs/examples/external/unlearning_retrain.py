"""An external unlearning method: retraining from scratch on the retain rows
(the exact unlearning the suite's oracle defines), in numpy, for the linear
bases (multinomial logistic by Newton's method, one-hot ridge in closed
form) and kNN (keep the retain rows). The MLP base is refused: its SGD
retrain is the built-in `retrain`.

Inputs (cell dir): train_x.npy (n x p), train_y.npy (n,), retain.npy
(rows kept); cell["base"]: model, lambda, tolerance. Output: theta.npy in
original.npy's format: linear (p+1) x k (last row: the intercepts); kNN: the
training rows kept, a column of row indices.
"""
import numpy as np

from shardbench_external import load, main, save


def fit_linear(z, y, k, model, lam, tolerance):
    """argmin sum_i loss_i(theta) + (lam/2)||theta||^2 over theta ((p+1) x k),
    every parameter penalised, as the suite's base model."""
    onehot = np.eye(k)[y]
    q = z.shape[1]
    if model == "ridge":  # (1/2)||z theta - Y||^2: one linear system
        return np.linalg.solve(z.T @ z + lam * np.eye(q), z.T @ onehot)
    theta = np.zeros((q, k))

    def objective(t):
        s = z @ t
        s = s - s.max(axis=1, keepdims=True)
        return -(s[np.arange(len(y)), y] - np.log(np.exp(s).sum(axis=1))).sum() + 0.5 * lam * (t * t).sum()

    converged_steps = 0
    for _ in range(100):
        s = z @ theta
        p = np.exp(s - s.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        grad = z.T @ (p - onehot) + lam * theta
        if np.abs(grad).max() / max(1, len(y)) <= tolerance:
            converged_steps += 1  # one more step past the tolerance: Newton's to machine precision
            if converged_steps > 1:
                break
        # Hessian of vec(theta) (column-major): blocks (c, d) = z' diag(p_c (delta_cd - p_d)) z.
        h = -np.einsum("ia,ib,ic,id->cadb", z, z, p, p)
        diag = np.einsum("ia,ib,ic->cab", z, z, p)
        for c in range(k):
            h[c, :, c, :] += diag[c]
        h = h.reshape(k * q, k * q) + lam * np.eye(k * q)
        step = np.linalg.solve(h, grad.T.reshape(-1)).reshape(k, q).T
        t, f0 = 1.0, objective(theta)
        # Backtracking, until the objective's changes are rounding: then the full step.
        while not converged_steps and objective(theta - t * step) > f0 and t > 1e-10:
            t /= 2
        theta = theta - t * step
    return theta


def run(cell_dir, cell):
    base = cell["base"]
    retain = load(cell_dir, "retain")
    if base["model"] == "knn":
        save(cell_dir, "theta", retain.astype(np.float64)[:, None])
        return
    if base["model"] not in ("logistic", "ridge"):
        raise ValueError("this example retrains the linear and kNN bases, not " + base["model"])
    x, y = load(cell_dir, "train_x"), load(cell_dir, "train_y")
    z = np.hstack([x[retain], np.ones((len(retain), 1))])
    save(cell_dir, "theta", fit_linear(z, y[retain], cell["num_classes"], base["model"], base["lambda"],
                                       base["tolerance"]))


if __name__ == "__main__":
    main(run)

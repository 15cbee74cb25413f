//! The little dense and sparse linear algebra that learning clusters needs:
//! row-major matrices, a sparse (CSR) matrix, Gram–Schmidt, and Jacobi
//! eigenvectors of a small symmetric matrix.

/// A dense row-major matrix.
#[derive(Debug, Clone)]
pub(crate) struct Dense {
    pub rows: usize,
    pub cols: usize,
    pub v: Vec<f64>,
}

impl Dense {
    pub fn zeros(rows: usize, cols: usize) -> Dense {
        Dense {
            rows,
            cols,
            v: vec![0.0; rows * cols],
        }
    }

    #[inline]
    pub fn row(&self, r: usize) -> &[f64] {
        &self.v[r * self.cols..(r + 1) * self.cols]
    }

    #[inline]
    pub fn row_mut(&mut self, r: usize) -> &mut [f64] {
        &mut self.v[r * self.cols..(r + 1) * self.cols]
    }

    /// Makes the columns orthonormal (modified Gram–Schmidt); a column that
    /// is (numerically) dependent on the ones before it becomes zero.
    pub fn orthonormalize_columns(&mut self) {
        let (n, k) = (self.rows, self.cols);
        for j in 0..k {
            for p in 0..j {
                let dot: f64 = (0..n).map(|r| self.v[r * k + j] * self.v[r * k + p]).sum();
                for r in 0..n {
                    self.v[r * k + j] -= dot * self.v[r * k + p];
                }
            }
            let norm = (0..n)
                .map(|r| self.v[r * k + j].powi(2))
                .sum::<f64>()
                .sqrt();
            let inv = if norm > 1e-12 { 1.0 / norm } else { 0.0 };
            for r in 0..n {
                self.v[r * k + j] *= inv;
            }
        }
    }

    /// `self · other` (both dense).
    pub fn mul(&self, other: &Dense) -> Dense {
        assert_eq!(self.cols, other.rows);
        let mut out = Dense::zeros(self.rows, other.cols);
        for r in 0..self.rows {
            let o = &mut out.v[r * other.cols..(r + 1) * other.cols];
            for (i, &a) in self.row(r).iter().enumerate() {
                if a != 0.0 {
                    for (x, &b) in o.iter_mut().zip(other.row(i)) {
                        *x += a * b;
                    }
                }
            }
        }
        out
    }
}

/// A sparse matrix in compressed rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    pub rows: usize,
    pub cols: usize,
    pub start: Vec<usize>,
    pub col: Vec<u32>,
    pub val: Vec<f64>,
}

impl Csr {
    /// `self · d`.
    pub fn mul(&self, d: &Dense) -> Dense {
        assert_eq!(self.cols, d.rows);
        let mut out = Dense::zeros(self.rows, d.cols);
        for r in 0..self.rows {
            let o = &mut out.v[r * d.cols..(r + 1) * d.cols];
            for i in self.start[r]..self.start[r + 1] {
                let a = self.val[i];
                for (x, &b) in o.iter_mut().zip(d.row(self.col[i] as usize)) {
                    *x += a * b;
                }
            }
        }
        out
    }

    /// `selfᵀ · d`.
    pub fn t_mul(&self, d: &Dense) -> Dense {
        assert_eq!(self.rows, d.rows);
        let mut out = Dense::zeros(self.cols, d.cols);
        for r in 0..self.rows {
            let dr = d.row(r);
            for i in self.start[r]..self.start[r + 1] {
                let a = self.val[i];
                let o = out.row_mut(self.col[i] as usize);
                for (x, &b) in o.iter_mut().zip(dr) {
                    *x += a * b;
                }
            }
        }
        out
    }
}

/// Eigenvalues and eigenvectors (the columns of the returned matrix) of
/// the symmetric matrix `a` (cyclic Jacobi rotations), sorted by
/// eigenvalue, largest first.
pub(crate) fn symmetric_eigen(mut a: Dense) -> (Vec<f64>, Dense) {
    let n = a.rows;
    assert_eq!(n, a.cols);
    let mut v = Dense::zeros(n, n);
    for i in 0..n {
        v.v[i * n + i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a.v[i * n + j].powi(2))
            .sum();
        let diag: f64 = (0..n).map(|i| a.v[i * n + i].powi(2)).sum();
        if off <= 1e-22 * diag.max(1e-300) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a.v[p * n + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let (app, aqq) = (a.v[p * n + p], a.v[q * n + q]);
                let theta = (aqq - app) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a.v[k * n + p], a.v[k * n + q]);
                    a.v[k * n + p] = c * akp - s * akq;
                    a.v[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a.v[p * n + k], a.v[q * n + k]);
                    a.v[p * n + k] = c * apk - s * aqk;
                    a.v[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v.v[k * n + p], v.v[k * n + q]);
                    v.v[k * n + p] = c * vkp - s * vkq;
                    v.v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&x, &y| a.v[y * n + y].total_cmp(&a.v[x * n + x]));
    let vals = order.iter().map(|&i| a.v[i * n + i]).collect();
    let mut vecs = Dense::zeros(n, n);
    for (j, &i) in order.iter().enumerate() {
        for k in 0..n {
            vecs.v[k * n + j] = v.v[k * n + i];
        }
    }
    (vals, vecs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_finds_eigenpairs() {
        let a = Dense {
            rows: 3,
            cols: 3,
            v: vec![4.0, 1.0, 0.0, 1.0, 3.0, 1.0, 0.0, 1.0, 2.0],
        };
        let (vals, vecs) = symmetric_eigen(a.clone());
        assert!(vals[0] >= vals[1] && vals[1] >= vals[2]);
        // A v = λ v for each column
        let av = a.mul(&vecs);
        for (j, &val) in vals.iter().enumerate() {
            for i in 0..3 {
                assert!((av.v[i * 3 + j] - val * vecs.v[i * 3 + j]).abs() < 1e-9);
            }
        }
        assert!((vals.iter().sum::<f64>() - 9.0).abs() < 1e-9, "trace");
    }

    #[test]
    fn gram_schmidt_orthonormalizes() {
        let mut d = Dense {
            rows: 3,
            cols: 2,
            v: vec![1.0, 1.0, 1.0, 0.0, 0.0, 1.0],
        };
        d.orthonormalize_columns();
        let dot = |a: usize, b: usize| (0..3).map(|r| d.v[r * 2 + a] * d.v[r * 2 + b]).sum::<f64>();
        assert!((dot(0, 0) - 1.0).abs() < 1e-12);
        assert!((dot(1, 1) - 1.0).abs() < 1e-12);
        assert!(dot(0, 1).abs() < 1e-12);
    }

    #[test]
    fn sparse_products_match_dense() {
        // [[1, 0, 2], [0, 3, 0]]
        let s = Csr {
            rows: 2,
            cols: 3,
            start: vec![0, 2, 3],
            col: vec![0, 2, 1],
            val: vec![1.0, 2.0, 3.0],
        };
        let d = Dense {
            rows: 3,
            cols: 1,
            v: vec![1.0, 1.0, 1.0],
        };
        assert_eq!(s.mul(&d).v, vec![3.0, 3.0]);
        let e = Dense {
            rows: 2,
            cols: 1,
            v: vec![1.0, 1.0],
        };
        assert_eq!(s.t_mul(&e).v, vec![1.0, 3.0, 2.0]);
    }
}

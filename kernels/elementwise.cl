// Elementwise ops, one work-item per element: over n reals (global size n rounded up), or,
// for ops that broadcast a row or pick rows, over a (cols, rows) grid, so no work-item
// divides to find its row. Each kernel names the CpuBackend method it must agree with.

// CpuBackend.sigmoid: out = 1 / (1 + exp(-z))
__kernel void sigmoid(const int n, __global const real* z, __global real* out) {
    const int i = get_global_id(0);
    if (i < n) out[i] = 1 / (1 + exp(-z[i]));
}

// CpuBackend.biasSigmoid: out[r, j] = sigmoid(z[r, j] + bias[j])  for z: (rows, cols); grid (cols, rows)
__kernel void bias_sigmoid(const int cols, const int rows, __global const real* z, __global const real* bias,
                           __global real* out) {
    const int j = get_global_id(0), i = get_global_id(1) * cols + j;
    out[i] = 1 / (1 + exp(-(z[i] + bias[j])));
}

// CpuBackend.sigmoidGradient: dZ = dA * s * (1 - s)
__kernel void sigmoid_gradient(const int n, __global const real* dA, __global const real* s,
                               __global real* dZ) {
    const int i = get_global_id(0);
    if (i < n) dZ[i] = dA[i] * s[i] * (1 - s[i]);
}

// CpuBackend.logSigmoid: out = log(sigmoid(z)) = -log(1 + exp(-z)), without overflow for large |z|
__kernel void log_sigmoid(const int n, __global const real* z, __global real* out) {
    const int i = get_global_id(0);
    if (i < n) {
        const real zi = z[i];
        out[i] = zi < 0 ? zi - log1p(exp(zi)) : -log1p(exp(-zi));
    }
}

// CpuBackend.addRowVector: x[r, j] += bias[j]  for x: (rows, cols); grid (cols, rows)
__kernel void add_row_vector(const int cols, const int rows, __global real* x, __global const real* bias) {
    const int j = get_global_id(0);
    x[get_global_id(1) * cols + j] += bias[j];
}

// CpuBackend.gemm with k = 0: c = beta * c, and 0 when beta = 0 (c's old contents, NaN too, ignored)
__kernel void scale(const int n, const real beta, __global real* c) {
    const int i = get_global_id(0);
    if (i < n) c[i] = beta == 0 ? 0 : beta * c[i];
}

// CpuBackend.axpy: y += alpha * x
__kernel void axpy(const int n, const real alpha, __global const real* x, __global real* y) {
    const int i = get_global_id(0);
    if (i < n) y[i] += alpha * x[i];
}

// CpuBackend.mseGradient and softmaxCrossEntropyGradient: out = (y - t) / rows, the gradient
// of MSE (w.r.t. y) and of softmax + CE (w.r.t. z)
__kernel void difference_over_rows(const int n, const real rows, __global const real* y,
                                   __global const real* t, __global real* out) {
    const int i = get_global_id(0);
    if (i < n) out[i] = (y[i] - t[i]) / rows;
}

// CpuBackend.gatherRows: out[r, :] = src[indices[from + r], :]  for out: (rows, cols); grid (cols, rows)
__kernel void gather_rows(const int cols, const int rows, __global const real* src,
                          __global const int* indices, const int from, __global real* out) {
    const int j = get_global_id(0), r = get_global_id(1);
    out[r * cols + j] = src[indices[from + r] * cols + j];
}

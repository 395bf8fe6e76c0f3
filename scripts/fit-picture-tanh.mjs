// Fits the grid's picture tanh (core/activation.hpp, picture_tanh_op): tanh x ≈ x P(x²) / Q(x²) on [0, c],
// x clamped to ±c beyond, for the smallest largest absolute error. Lawson's iteration on the linearised
// problem x P(x²) − tanh(x) Q(x²) ≈ 0 (weighted least squares, each weight multiplied by its point's error
// after each round, divided by the last Q² so that the linearised residual measures the true error).
// Prints the coefficients with Q made monic, as the C++ code writes them, and the largest error in float64
// and float32 (evaluated in the code's order of operations).
//   node scripts/fit-picture-tanh.mjs [degree of P in x² + 1 = 3] [degree of Q in x² = 3] [c = 6.2]
const [np, nq, c] = [Number(process.argv[2] ?? 3), Number(process.argv[3] ?? 3), Number(process.argv[4] ?? 6.2)];

function solve(A, b) {  // Gaussian elimination with partial pivoting
  const n = b.length;
  for (let i = 0; i < n; i++) {
    let p = i;
    for (let r = i + 1; r < n; r++) if (Math.abs(A[r][i]) > Math.abs(A[p][i])) p = r;
    [A[i], A[p]] = [A[p], A[i]];
    [b[i], b[p]] = [b[p], b[i]];
    for (let r = i + 1; r < n; r++) {
      const f = A[r][i] / A[i][i];
      for (let k = i; k < n; k++) A[r][k] -= f * A[i][k];
      b[r] -= f * b[i];
    }
  }
  const x = new Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= A[i][k] * x[k];
    x[i] = s / A[i][i];
  }
  return x;
}

// coefficients: a_0..a_(np−1) of P, then b_1..b_nq of Q (Q(0) = 1)
const P = (co, x2) => { let p = 0; for (let i = np - 1; i >= 0; i--) p = p * x2 + co[i]; return p; };
const Q = (co, x2) => { let q = 0; for (let i = nq; i >= 1; i--) q = (q + co[np + i - 1]) * x2; return q + 1; };
const R = (co, x) => (x * P(co, x * x)) / Q(co, x * x);

const N = 4000;
const xs = Array.from({ length: N }, (_, i) => c * (0.5 - 0.5 * Math.cos((Math.PI * i) / (N - 1))));
let w = xs.map(() => 1), q = xs.map(() => 1), best = { err: Infinity };
for (let it = 0; it < 300; it++) {
  const M = np + nq, A = Array.from({ length: M }, () => new Array(M).fill(0)), b = new Array(M).fill(0);
  xs.forEach((x, i) => {
    const t = Math.tanh(x), x2 = x * x, row = [];
    for (let j = 0; j < np; j++) row.push(x * x2 ** j);
    for (let j = 1; j <= nq; j++) row.push(-t * x2 ** j);
    const wi = w[i] / (q[i] * q[i]);
    for (let r = 0; r < M; r++) {
      b[r] += wi * row[r] * t;
      for (let s = 0; s < M; s++) A[r][s] += wi * row[r] * row[s];
    }
  });
  const co = solve(A, b);
  const errs = xs.map((x) => Math.abs(R(co, x) - Math.tanh(x)));
  const err = Math.max(...errs, 1 - R(co, c));  // beyond c the clamp gives R(c)
  if (err < best.err) best = { err, co };
  const sum = errs.reduce((a, e, i) => a + w[i] * e, 0);
  w = w.map((wi, i) => (wi * errs[i] * N) / sum);
  q = xs.map((x) => Q(co, x * x));
}

// Q monic: divide P and Q by Q's leading coefficient
const co = best.co, lead = co[np + nq - 1];
const p = co.slice(0, np).map((v) => v / lead);
const qq = [1, ...co.slice(np, np + nq - 1)].map((v) => v / lead);
console.log(JSON.stringify({ c, p, q: [...qq, 1] }));

// the largest error over [−14, 14] in the code's order of operations, in float64 and in float32
const f = Math.fround;
for (const [name, r] of [['float64', (v) => v], ['float32', f]]) {
  const pc = p.map(r), qc = qq.map(r), cc = r(c);
  let worst = 0;
  for (let x0 = -14; x0 <= 14; x0 += 1 / 4096) {
    const x = r(Math.max(Math.min(r(x0), cc), -cc)), x2 = r(x * x);
    let num = pc[np - 1];
    for (let i = np - 2; i >= 0; i--) num = r(r(num * x2) + pc[i]);
    num = r(num * x);
    let den = r(x2 + qc[nq - 1]);
    for (let i = nq - 2; i >= 0; i--) den = r(r(den * x2) + qc[i]);
    worst = Math.max(worst, Math.abs(r(num / den) - Math.tanh(r(x0))));
  }
  console.log(`${name}: largest |error| ${worst.toExponential(2)}`);
}

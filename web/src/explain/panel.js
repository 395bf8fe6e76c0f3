// The step-through (a feature module, see "How a feature plugs in" in lab.js): backpropagation on ONE training
// example, one equation per step, in the book's notation (Nielsen ch. 2) with the engine's numbers:
//
//   a⁰ = x;  zˡ = Wˡ aˡ⁻¹ + bˡ, aˡ = σ(zˡ) (l = 1 … L);  C_x;  BP1 δᴸ = ∇ₐC ⊙ σ′(zᴸ);
//   BP2 δˡ = ((Wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ) (l = L−1 … 1);  BP3 ∂C_x/∂bˡ = δˡ, BP4 ∂C_x/∂Wˡ = δˡ (aˡ⁻¹)ᵀ;
//   the update W ← W − η δ aᵀ, b ← b − η δ on this one example (the notes' fit_partial).
//
// Every number is the engine's (the worker's 'explain' request → net.explain, core/explain.hpp): this module
// lays them out and never recomputes one. The pick (state key `explain`) and the step (`explainStep`) are the
// lab's state, so a link or an embed's attributes reopen the same example at the same step.
import { fmt, tex, sym, texSym, num, vec, mat, eq, texVec, texMat } from './math.js';
import { show } from '../../../bindings/show.js';

const PLAY_MS = 2500;          // "play the walk": one step every 2.5 s, a pace one can read along
const REFRESH_PLAYING_MS = 500;  // while the lab trains with the walk open, its numbers follow this often
const SAT = 0.05;              // σ' under 5 % of its largest value: saturated (the diagram's cut, inspect())
const SIGMA_MAX = { sigmoid: 0.25, tanh: 1, relu: 1, linear: 1, softmax: 0.25 };
const FEATURE_LABEL = { x1: 'x₁', x2: 'x₂', x1sq: 'x₁²', x2sq: 'x₂²', x1x2: 'x₁x₂', sinx1: 'sin x₁', sinx2: 'sin x₂' };
const WIDE = 8;                // wider layers: the row of one neuron instead of the whole product

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  const { h } = lab;
  lab.addStyles(css);

  let index = null;            // the picked training example
  let step = 0;
  let data = null;             // the engine's explanation of `index` (worker.js explainReply)
  let applied = null;          // { before, after } of the last "Apply this step", while it can be undone
  let playTimer = 0;
  let inFlight = null, again = false, lastRefresh = 0, refreshTimer = 0;
  let refreshError = null;     // why the last request gave no numbers (the worker stopped: the lab was removed)
  let neuron = 0;              // the neuron whose row a wide layer shows
  let els = null;

  // ---- the data: which points exist, the pick ------------------------------------------------------------

  const unit = () => (lab.state.explainUnit === 'batch' ? 'batch' : 'example');
  /** The examples of the walk: the pick, or the pick and the batchSize − 1 training examples after it. */
  const batchOf = (i) => {
    const n = trainCount(), m = Math.min(lab.state.batchSize, n);
    return Array.from({ length: m }, (_, k) => (i + k) % n);
  };
  const keyOf = () => (index === null ? null : `${unit()}:${unit() === 'batch' ? batchOf(index).join(',') : index}`);
  const trainCount = () => { const d = lab.frame?.data; return d ? d.train.length / 2 : 0; };
  const problem = (i) => {
    const n = trainCount();
    if (!Number.isInteger(i)) return `explain: the example must be an integer index of a training point, got ${show(i, 40)}`;
    if (i < 0 || i >= n) return `explain: there is no training example ${i} (this data has ${n}, numbered 0 to ${n - 1}) — nothing changed`;
    return null;
  };

  /** Opens the walk on example i (the element's explain(i)): a Promise of the numbers it shows. */
  async function open(i, at = 0) {
    if (!lab.frame) await new Promise((r) => { const off = lab.onFrame(() => { off(); r(); }); });
    const bad = problem(i);
    if (bad) { lab.notice(bad, { level: 'warning', key: 'explain:index' }); throw new Error(bad); }
    lab.dismiss('explain:index');
    // an embed whose `views` leave the walk out: the numbers only
    if (!lab.shows('explain')) return publicNumbers(await lab.call('explain', { index: i }));
    lab.pause();
    index = i; step = at; applied = null;
    lab.set({ explain: i, explainStep: at });
    build();
    await refresh();
    if (!refreshError && (!data || data.key !== keyOf())) await refresh();  // a request for an earlier pick was in flight
    if (refreshError) throw new Error(refreshError.message);  // e.g. the lab was removed and its worker stopped
    if (!data || data.key !== keyOf()) throw new Error(`explain: the engine gave no numbers for example ${i}`);
    // explain(i) gives one example's numbers, also while the walk shows a mini-batch
    return publicNumbers(data.m ? await lab.call('explain', { index: i }) : data);
  }

  /** The button: the walk on the picked point, or a random one, with the picker focused (keyboard users). */
  function start() {
    const n = trainCount();
    if (!n) return;
    const i = index ?? lab.state.explain ?? Math.floor(Math.random() * n);
    open(Math.min(i, n - 1), step).then(() => els?.picker.focus(), () => {});
  }

  /** A click or tap on the boundary: the training point under it (within a finger's reach), if any. */
  function pickAt(clientX, clientY) {
    const map = lab.views.boundary.map, d = lab.frame?.data, ext = lab.frame?.extent ?? 6;
    if (!map || !d) return;
    const r = map.getBoundingClientRect();
    if (r.width === 0) return;
    const x = ((clientX - r.left) / r.width) * 2 * ext - ext, y = ext - ((clientY - r.top) / r.height) * 2 * ext;
    const reach = ((matchMedia('(pointer: coarse)').matches ? 18 : 10) / r.width) * 2 * ext;
    let best = -1, bestD = reach * reach;
    for (let i = 0; i < d.train.length / 2; i++) {
      const dx = d.train[2 * i] - x, dy = d.train[2 * i + 1] - y, dd = dx * dx + dy * dy;
      if (dd <= bestD) { bestD = dd; best = i; }
    }
    if (best < 0) return;
    // on a phone the walk is a screen away from the boundary: bring it into view
    open(best, index === best ? step : 0).then(() => els?.root.scrollIntoView({ block: 'nearest', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' }), () => {});
  }

  // The state changed (a link, an attribute, Back): follow it.
  function sync() {
    const s = lab.state;
    if (s.explain === undefined || !lab.shows('explain')) { close(false); return; }
    const bad = problem(s.explain);
    if (bad) {
      lab.notice(bad.replace('nothing changed', 'the walk stays closed'), { level: 'warning', key: 'explain:index' });
      lab.set({ explain: null, explainStep: 0 });
      return;
    }
    const changed = s.explain !== index || (data && data.key !== keyOf());
    // another pick (Back, a changed attribute) pauses as a click does; a lab that opens on one (a link, a post)
    // keeps whatever its page told it (autoplay, play())
    if (changed) { if (index !== null && s.explain !== index) lab.pause(); index = s.explain; applied = null; data = null; }
    if (!changed && data && els && (s.explainStep ?? 0) === step) { placeRing(); return; }
    if (changed) applied = null;
    step = s.explainStep ?? 0;
    build();
    if (changed || !data) refresh(); else render();
  }

  function close(setState = true) {
    stopPlay();
    index = null; data = null; applied = null;
    els?.root.remove();
    els?.ring.remove();
    els = null;
    lab.views.network.highlight?.(null);
    if (setState && lab.state.explain !== undefined) lab.set({ explain: null, explainStep: 0 });
  }

  // The engine's numbers for the pick with the current weights; one request at a time, the last one wins.
  // weightsChanged: a request in flight may have read the old weights, so one more follows it.
  let inFlightIndex = null;
  function refresh(weightsChanged = false) {
    if (index === null) return Promise.resolve();
    if (inFlight) { if (weightsChanged || inFlightIndex !== index) again = true; return inFlight; }
    const i = inFlightIndex = index, key = keyOf();
    lastRefresh = performance.now();
    refreshError = null;
    inFlight = lab.call('explain', unit() === 'batch' ? { indices: batchOf(i) } : { index: i }).then((d) => {
      d.key = key;
      if (key === keyOf()) { data = d; render(); }
    }, (e) => {
      refreshError = e;
      if (!e.cancelled) lab.notice(`explain: ${e.message}`, { level: 'error', key: 'explain:engine' });
    }).finally(() => {
      inFlight = null;
      if (again) { again = false; refresh(); }
      else inFlightIndex = null;
    });
    return inFlight;
  }
  // After each drawn frame (training, an edit, a new learning rate): the numbers follow the weights.
  lab.onFrame((f) => {
    if (index === null) return;
    if (f.data && problem(index)) { lab.notice(`explain: example ${index} is not in the new data — the walk is closed`, { level: 'info', key: 'explain:index' }); close(); return; }
    clearTimeout(refreshTimer);
    const wait = lab.playing ? REFRESH_PLAYING_MS - (performance.now() - lastRefresh) : 0;
    if (wait <= 0) refresh(true); else refreshTimer = setTimeout(() => refresh(true), wait);
  });

  // One example: vectors. A mini-batch (explainUnit 'batch'): the same quantities as n × m matrices with the
  // examples as columns (net.explain(indices)), and the averaged gradients.
  const V = (values, label) => (data?.m ? mat(h, values, values.length / data.m, data.m, label) : vec(h, values, label));
  const TV = (values) => (data?.m ? texMat(values, values.length / data.m, data.m) : texVec(values));

  // ---- the steps -------------------------------------------------------------------------------------------

  // Each step: { id, title, lit (layers the diagram rings), links (the Wˡ whose links the diagram lights),
  // body(): elements, md(): Markdown }.
  function steps(d) {
    const L = d.layers.length, out = [];
    const lay = (l) => d.layers[l - 1];
    const aOf = (l) => (l === 0 ? d.input : lay(l).a);
    const n = (l) => d.sizes[l];
    const act = (l) => (l === L ? d.outputActivation : d.activation);
    out.push({ id: 'input', title: 'Input', lit: [0], body: () => inputBody(d), md: () => `$a^{0} = x = ${TV(d.input)}$ (features ${d.features.join(', ')} of the point (${d.x.map(tex).join(', ')})), target $y = ${TV(d.y)}$` });
    for (let l = 1; l <= L; l++) {
      out.push({ id: `forward-${l}`, title: `Forward, layer ${l}`, lit: [l - 1, l], links: [l], body: () => forwardBody(d, l),
        md: () => `$z^{${l}} = W^{${l}} a^{${l - 1}} + b^{${l}} = ${texMat(d.W[l - 1], n(l), n(l - 1))} ${TV(aOf(l - 1))} + ${texVec(d.b[l - 1])} = ${TV(lay(l).z)}$, $a^{${l}} = \\sigma(z^{${l}}) = ${TV(lay(l).a)}$ (${act(l)})` });
    }
    out.push({ id: 'cost', title: 'Cost', lit: [L], body: () => costBody(d), md: () => `$C_x = ${tex(d.cost)}$ (${costName(d)}), $a^{L} = ${TV(lay(L).a)}$, $y = ${TV(d.y)}$` });
    out.push({ id: 'bp1', title: 'BP1', lit: [L], body: () => bp1Body(d), md: () => (d.sigmaPrimeCancels
      ? `BP1 (σ′ cancels with cross-entropy): $\\delta^{L} = a^{L} - y = ${TV(lay(L).delta)}$`
      : `BP1: $\\delta^{L} = \\nabla_a C \\odot \\sigma'(z^{L}) = ${TV(lay(L).gradA)} \\odot ${TV(lay(L).sigmaPrime)} = ${TV(lay(L).delta)}$`) });
    for (let l = L - 1; l >= 1; l--) {
      out.push({ id: `bp2-${l}`, title: `BP2, layer ${l}`, lit: [l, l + 1], links: [l + 1], body: () => bp2Body(d, l),
        md: () => `BP2: $\\delta^{${l}} = ((W^{${l + 1}})^T \\delta^{${l + 1}}) \\odot \\sigma'(z^{${l}}) = ${texMat(d.W[l], n(l + 1), n(l), true)} ${TV(lay(l + 1).delta)} \\odot ${TV(lay(l).sigmaPrime)} = ${TV(lay(l).gradA)} \\odot ${TV(lay(l).sigmaPrime)} = ${TV(lay(l).delta)}$` });
    }
    for (let l = L; l >= 1; l--) {
      out.push({ id: `bp34-${l}`, title: `BP3, BP4, layer ${l}`, lit: [l - 1, l], links: [l], body: () => gradBody(d, l),
        md: () => `BP3: $\\partial C_x/\\partial b^{${l}} = \\delta^{${l}} = ${texVec(lay(l).gradB)}$; BP4: $\\partial C_x/\\partial W^{${l}} = \\delta^{${l}} (a^{${l - 1}})^T = ${texMat(lay(l).gradW, n(l), n(l - 1))}$` });
    }
    out.push({ id: 'update', title: 'Update', lit: null, body: () => updateBody(d),
      md: () => `Update (one example, batch size 1): $W \\leftarrow W - \\eta\\, \\delta a^T$, $b \\leftarrow b - \\eta\\, \\delta$ with $\\eta = ${tex(d.learningRate)}$${applied ? `; $C_x$: ${tex(applied.before)} → ${tex(applied.after)}` : ''}` });
    return out;
  }

  const costName = (d) => (d.costFunction === 'cross_entropy' ? 'cross-entropy' : 'quadratic');
  const L_ = (d) => d.layers.length;
  const layerName = (d, l) => (l === 0 ? 'the input' : l === L_(d) ? 'the output layer' : `hidden layer ${l}`);

  function inputBody(d) {
    const names = d.features.map((f) => FEATURE_LABEL[f] ?? f);
    if (d.m) {
      return [
        h('p', { text: `The mini-batch: training points ${d.indices.map((i) => `#${i}`).join(', ')} (the pick and the ${d.m - 1} after it; m = ${d.m}). Each example is one column: the features (${names.join(', ')}) form A⁰, the targets Y.` }),
        eq(h, sym(h, 'A', 0), '=', V(d.input, 'A⁰')),
        eq(h, sym(h, 'Y'), '=', V(d.y, 'Y')),
      ];
    }
    return [
      h('p', {}, 'The example is training point ', h('b', { text: `#${d.index}` }), ` at (${d.x.map(fmt).join(', ')}). The network sees its features (${names.join(', ')}) as the activations of layer 0:`),
      eq(h, sym(h, 'a', 0), '=', sym(h, 'x'), '=', V(d.input, 'a⁰')),
      h('p', {}, 'Its target: ', eq(h, sym(h, 'y'), '=', V(d.y, 'y'))),
    ];
  }

  function forwardBody(d, l) {
    const x = d.layers[l - 1], prev = l === 1 ? d.input : d.layers[l - 2].a, r = d.sizes[l], c = d.sizes[l - 1];
    const a = d.layers.length === l ? d.outputActivation : d.activation;
    const parts = [h('p', {}, `Layer ${l} (${layerName(d, l)}) weighs the activations of layer ${l - 1}, adds its biases, and applies ${a}:`)];
    if ((r <= WIDE && c <= WIDE) || d.m) {
      parts.push(eq(h, sym(h, 'z', l), '=', sym(h, 'W', l), sym(h, 'a', l - 1), '+', sym(h, 'b', l), '=',
        mat(h, d.W[l - 1], r, c, `W${l}`), V(prev, `a${l - 1}`), '+', vec(h, d.b[l - 1], `b${l}`), '=', V(x.z, `z${l}`)));
    } else {
      const j = Math.min(neuron, r - 1), w = d.W[l - 1].slice(j * c, (j + 1) * c);
      parts.push(neuronPicker(r, j),
        eq(h, sym(h, 'z', l, j + 1), '=', 'Σₖ', sym(h, 'w', l, `${j + 1}k`), sym(h, 'a', l - 1, 'k'), '+', sym(h, 'b', l, j + 1), '=',
          mat(h, w, 1, c, `row ${j + 1} of W${l}`), V(prev, `a${l - 1}`), '+', num(h, d.b[l - 1][j]), '=', num(h, x.z[j])),
        h('p', { class: 'hint', text: `Layer ${l} has ${r} neurons: the row of neuron ${j + 1} is written out; all of zˡ:` }),
        eq(h, sym(h, 'z', l), '=', V(x.z, `z${l}`)));
    }
    parts.push(eq(h, sym(h, 'a', l), '=', `${a === 'softmax' ? 'softmax' : 'σ'}(`, sym(h, 'z', l), ')', '=', V(x.a, `a${l}`)));
    return parts;
  }

  function costBody(d) {
    const L = L_(d), aL = d.layers[L - 1].a;
    const ce = d.costFunction === 'cross_entropy';
    const formula = ce ? (d.outputActivation === 'softmax' ? 'C_x = −Σⱼ yⱼ ln aᴸⱼ' : 'C_x = −Σⱼ [yⱼ ln aᴸⱼ + (1 − yⱼ) ln(1 − aᴸⱼ)]') : 'C_x = ½ ‖y − aᴸ‖²';
    return [
      h('p', { text: d.m ? `The mean cost of the mini-batch's ${d.m} examples, (1/m) Σₓ C_x (${costName(d)}):` : `The cost of this one example (${costName(d)}; the training cost C is the mean of C_x over the ${d.n} training examples):` }),
      eq(h, h('span', { class: 'formula', text: formula }), '=', h('b', {}, num(h, d.cost))),
      eq(h, sym(h, 'a', 'L'), '=', V(aL, 'aᴸ'), h('span', { class: 'op sep', text: ' ' }), sym(h, 'y'), '=', V(d.y, 'y')),
    ];
  }

  function bp1Body(d) {
    const L = L_(d), x = d.layers[L - 1];
    const parts = [h('p', { text: 'BP1: the error of the output layer, δᴸ = ∂C_x/∂zᴸ.' })];
    if (d.sigmaPrimeCancels) {
      parts.push(eq(h, sym(h, 'δ', 'L'), '=', sym(h, 'a', 'L'), '−', sym(h, 'y'), '=', V(x.a, 'aᴸ'), '−', V(d.y, 'y'), '=', V(x.delta, 'δᴸ')),
        h('p', { class: 'note', text: `With the cross-entropy cost and a ${d.outputActivation} output, σ′(zᴸ) cancels: ∇ₐC ⊙ σ′(zᴸ) = aᴸ − y (Nielsen eq. 66). A saturated output neuron still learns fast when it is wrong.` }));
      return parts;
    }
    parts.push(eq(h, sym(h, 'δ', 'L'), '=', '∇ₐC', '⊙', "σ′(", sym(h, 'z', 'L'), ')', '=', V(x.gradA, '∇ₐC'), '⊙', V(x.sigmaPrime, "σ′(zᴸ)"), '=', V(x.delta, 'δᴸ')));
    if (d.outputActivation === 'softmax') parts.push(h('p', { class: 'hint', text: "A softmax output's σ′ is a Jacobian; the vector shown is its diagonal aⱼ(1 − aⱼ), and δᴸ = Jᵀ∇ₐC." }));
    else parts.push(h('p', { class: 'hint', text: d.costFunction === 'quadratic' ? 'Quadratic cost: ∇ₐC = aᴸ − y.' : 'Cross-entropy: ∇ₐC = −y/a + (1 − y)/(1 − a).' }));
    const sat = d.m ? [] : saturated(x.sigmaPrime, d.outputActivation, x.z);
    if (sat.length) {
      parts.push(h('p', { class: 'warn', role: 'note' }, `Saturated: σ′(zᴸ) is ${sat.map((j) => fmt(x.sigmaPrime[j])).join(', ')} at output neuron${sat.length > 1 ? 's' : ''} ${sat.map((j) => j + 1).join(', ')}, under 5 % of its largest value. δᴸ is then small however wrong the output is: this is the learning slowdown of a saturated neuron, and why the quadratic cost learns slowly here. The cross-entropy cost cancels σ′.`));
    }
    return parts;
  }

  // Neurons whose σ' is under 5 % of its maximum (a ReLU with z ≤ 0 is "dead", not saturated).
  function saturated(sp, activation, z) {
    if (activation === 'linear' || activation === 'relu') return [];
    const max = SIGMA_MAX[activation] ?? 1, out = [];
    sp.forEach((v, j) => { if (v < SAT * max && Number.isFinite(z[j])) out.push(j); });
    return out;
  }

  function bp2Body(d, l) {
    const x = d.layers[l - 1], up = d.layers[l], r = d.sizes[l + 1], c = d.sizes[l];
    const parts = [h('p', { text: `BP2: the error moves back from layer ${l + 1} to layer ${l} along the links of W${sup(l + 1)} (lit in the diagram), transposed, then is scaled by σ′(z${sup(l)}).` })];
    if (r <= WIDE && c <= WIDE) {
      parts.push(eq(h, '(', sym(h, 'W', l + 1), ')ᵀ', sym(h, 'δ', l + 1), '=', mat(h, d.W[l], r, c, `W${l + 1} transposed`, { transpose: true }), V(up.delta, `δ${l + 1}`), '=', V(x.gradA, `(W${l + 1})ᵀδ${l + 1}`)));
    } else {
      parts.push(eq(h, '(', sym(h, 'W', l + 1), ')ᵀ', sym(h, 'δ', l + 1), '=', V(x.gradA, `(W${l + 1})ᵀδ${l + 1}`)));
    }
    parts.push(eq(h, sym(h, 'δ', l), '=', '((', sym(h, 'W', l + 1), ')ᵀ', sym(h, 'δ', l + 1), ')', '⊙', "σ′(", sym(h, 'z', l), ')', '=',
      V(x.gradA, `(W${l + 1})ᵀδ${l + 1}`), '⊙', V(x.sigmaPrime, `σ′(z${l})`), '=', V(x.delta, `δ${l}`)));
    if (d.m) parts.push(h('p', { class: 'hint', text: 'Each column is one example: ⊙ multiplies entry by entry.' }));
    else if (d.activation === 'relu') {
      const dead = x.z.map((z, j) => (z <= 0 ? j + 1 : 0)).filter(Boolean);
      if (dead.length) parts.push(h('p', { class: 'hint', text: `ReLU: σ′ = 0 where z ≤ 0 (neuron${dead.length > 1 ? 's' : ''} ${dead.join(', ')} here): no error passes through for this example. A ReLU with z ≤ 0 on all the data is dead, not saturated.` }));
    } else {
      const sat = saturated(x.sigmaPrime, d.activation, x.z);
      if (sat.length) parts.push(h('p', { class: 'hint', text: `σ′ is small at neuron${sat.length > 1 ? 's' : ''} ${sat.map((j) => j + 1).join(', ')}: saturated for this example, so little error passes back through ${sat.length > 1 ? 'them' : 'it'}.` }));
    }
    return parts;
  }

  function gradBody(d, l) {
    const x = d.layers[l - 1], prev = l === 1 ? d.input : d.layers[l - 2].a, r = d.sizes[l], c = d.sizes[l - 1];
    // the largest entry written out as BP4's product a_k^(l−1) · δ_j^l
    let jb = 0, kb = 0;
    x.gradW.forEach((v, i) => { if (Math.abs(v) > Math.abs(x.gradW[jb * c + kb])) { jb = Math.floor(i / c); kb = i % c; } });
    if (d.m) {
      return [
        h('p', { text: `BP3 and BP4 for each example, averaged over the mini-batch: the gradient of the batch's mean cost with respect to the biases and weights of layer ${l}.` }),
        eq(h, '∂C/∂', sym(h, 'b', l), '=', '(1/m) Σₓ', sym(h, 'δ', l, 'x'), '=', vec(h, x.gradB, `∂C/∂b${l}`)),
        eq(h, '∂C/∂', sym(h, 'W', l), '=', '(1/m) Σₓ', sym(h, 'δ', l, 'x'), '(', sym(h, 'a', l - 1, 'x'), ')ᵀ', '=', mat(h, x.gradW, r, c, `∂C/∂W${l}`, { heat: true })),
        h('p', { class: 'hint', text: 'This is the step one SGD update on this mini-batch takes (times −η).' }),
      ];
    }
    return [
      h('p', { text: `BP3 and BP4: the gradient of this example's cost with respect to the biases and weights of layer ${l}.` }),
      eq(h, '∂C_x/∂', sym(h, 'b', l), '=', sym(h, 'δ', l), '=', vec(h, x.gradB, `∂C/∂b${l}`)),
      eq(h, '∂C_x/∂', sym(h, 'W', l), '=', sym(h, 'δ', l), '(', sym(h, 'a', l - 1), ')ᵀ', '=', mat(h, x.gradW, r, c, `∂C/∂W${l}`, { heat: true })),
      eq(h, '∂C_x/∂', sym(h, 'w', l, `${jb + 1}${kb + 1}`), '=', sym(h, 'a', l - 1, kb + 1), sym(h, 'δ', l, jb + 1), '=', num(h, prev[kb]), '×', num(h, x.delta[jb]), '=', num(h, x.gradW[jb * c + kb])),
      h('p', { class: 'hint', text: `Row j is neuron j of layer ${l}, column k neuron k of layer ${l - 1}; blue positive, orange negative. This is one example's gradient; the weight card and the gradient panel show ∂C/∂w over the whole training set.` }),
    ];
  }

  function updateBody(d) {
    const reg = d.l2 > 0 ? ` and L2 weight decay (λ = ${fmt(d.l2)}, scaled by 1/n as in training)` : d.l1 > 0 ? ` and L1 (λ = ${fmt(d.l1)}, scaled by 1/n)` : '';
    const parts = [
      h('p', { text: d.m ? `One step of gradient descent on this mini-batch of ${d.m} (step one mini-batch), learning rate η = ${fmt(d.learningRate)}${reg}, every layer l at once:` : `Gradient descent on this one example (batch size 1, the notes' fit_partial), learning rate η = ${fmt(d.learningRate)}${reg}, every layer l at once:` }),
      d.m ? eq(h, sym(h, 'W', 'l'), '←', sym(h, 'W', 'l'), '−', '(η/m) Σₓ', sym(h, 'δ', 'l', 'x'), '(', sym(h, 'a', 'l−1', 'x'), ')ᵀ', h('span', { class: 'op sep', text: ' ' }), sym(h, 'b', 'l'), '←', sym(h, 'b', 'l'), '−', '(η/m) Σₓ', sym(h, 'δ', 'l', 'x'))
        : eq(h, sym(h, 'W', 'l'), '←', sym(h, 'W', 'l'), '−', 'η', sym(h, 'δ', 'l'), '(', sym(h, 'a', 'l−1'), ')ᵀ', h('span', { class: 'op sep', text: ' ' }), sym(h, 'b', 'l'), '←', sym(h, 'b', 'l'), '−', 'η', sym(h, 'δ', 'l')),
      h('div', { class: 'walk-actions' },
        h('button', { class: 'text', 'data-action': 'apply', text: 'Apply this step', onclick: apply }),
        h('button', { class: 'text', 'data-action': 'undo', text: 'Undo', disabled: !applied, onclick: undo })),
    ];
    if (applied) {
      parts.push(h('p', { class: 'result', role: 'status' }, d.m ? 'Mean C_x before → after: ' : 'C_x before → after: ', num(h, applied.before), ' → ', num(h, applied.after),
        applied.after < applied.before ? ' (lower: the network moved toward this example\'s target)' : ' (not lower: the step was too large for this example)'));
    } else {
      parts.push(h('p', { class: 'result', role: 'status', text: `C_x now: ${fmt(d.cost)}. Applying moves the boundary; Undo takes the step back exactly.` }));
    }
    return parts;
  }

  async function apply() {
    if (index === null) return;
    lab.pause();
    try {
      const f = await lab.call('stepExamples', { indices: unit() === 'batch' ? batchOf(index) : [index] });
      if (f.step?.diverged) { lab.notice(f.step.message, { level: 'warning', key: 'explain:step' }); return; }
      applied = { before: f.step.costBefore, after: f.step.costAfter };
      await refresh();
      els?.root.querySelector('[data-action=undo]')?.focus();
    } catch (e) { if (!e.cancelled) lab.notice(`Apply this step: ${e.message}`, { level: 'error', key: 'explain:step' }); }
  }
  async function undo() {
    if (!applied) return;
    try {
      await lab.call('revertStep');
      applied = null;
      await refresh();
      els?.root.querySelector('[data-action=apply]')?.focus();
    } catch (e) { if (!e.cancelled) lab.notice(`Undo: ${e.message}`, { level: 'error', key: 'explain:step' }); }
  }

  // ---- the panel -------------------------------------------------------------------------------------------

  const sup = (n) => String(n).replace(/\d/g, (c) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[c]);

  function neuronPicker(r, j) {
    const sel = h('select', { 'aria-label': 'Neuron whose row is written out', onchange: () => { neuron = Number(sel.value); render(); } },
      Array.from({ length: r }, (_, i) => h('option', { value: String(i), text: `neuron ${i + 1}` })));
    sel.value = String(j);
    return h('label', { class: 'control walk-neuron' }, h('span', { class: 'label', text: 'Row of ' }), sel);
  }

  function build() {
    if (els) { placeRing(); return; }
    const n = trainCount();
    const picker = h('input', { type: 'number', min: '0', max: String(Math.max(0, n - 1)), step: '1', class: 'walk-picker',
      'aria-label': 'Training example: the arrow keys pick the next or previous point' });
    // the arrow keys step the number (an 'input' event each); typing waits for a pause
    let typing = 0;
    const pick = () => {
      clearTimeout(typing);
      if (picker.value === '') return;
      const v = Number(picker.value);
      if (problem(v)) { picker.value = String(index); lab.notice(problem(v), { level: 'warning', key: 'explain:index' }); return; }
      if (v !== index) open(v, step).catch(() => {});
    };
    picker.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(pick, 300); });
    picker.addEventListener('change', pick);
    const title = h('h2', { class: 'walk-title', id: 'walk-title' });
    const unitSel = h('select', { 'aria-label': 'Walk through', onchange: () => lab.set({ explainUnit: unitSel.value }) },
      h('option', { value: 'example', text: 'One example' }), h('option', { value: 'batch', text: 'One mini-batch' }));
    const stepTitle = h('div', { class: 'walk-steptitle', 'aria-live': 'polite' });
    const list = h('ol', { class: 'walk-steps', 'aria-label': 'Steps' });
    // focusable: on a phone a wide matrix scrolls sideways, and the keyboard must be able to scroll it too
    const body = h('div', { class: 'walk-body', tabindex: '0', role: 'group', 'aria-label': 'The step\'s equations' });
    const prev = h('button', { class: 'text', 'data-action': 'prev', text: '← Previous', onclick: () => go(step - 1) });
    const next = h('button', { class: 'text', 'data-action': 'next', text: 'Next →', onclick: () => go(step + 1) });
    const play = h('button', { class: 'text', 'data-action': 'play', 'aria-pressed': 'false', text: 'Play the walk', onclick: togglePlay });
    const root = h('section', { class: 'walk', role: 'region', 'aria-labelledby': 'walk-title', tabindex: '-1' },
      h('div', { class: 'walk-head' }, title,
        h('label', { class: 'control walk-pick' }, h('span', { class: 'label', text: 'Example' }), picker),
        h('label', { class: 'control walk-pick' }, h('span', { class: 'label', text: 'Walk through' }), unitSel),
        h('button', { class: 'text', 'data-action': 'random', text: 'Random point', onclick: () => { const m = trainCount(); if (m) open(Math.floor(Math.random() * m), step).catch(() => {}); } }),
        h('button', { class: 'text walk-close', 'data-action': 'close', 'aria-label': 'Close the step-through', text: 'Close', onclick: () => close() })),
      h('p', { class: 'hint walk-layers', text: 'Layer 0 is the input here, as in the diagram and the engine; Nielsen numbers the input layer 1, so his δ² is δ¹ here. Click a training point on the boundary to pick it.' }),
      list,
      h('div', { class: 'walk-nav' }, prev, stepTitle, next, play),
      body,
      h('div', { class: 'walk-export' },
        h('button', { class: 'text', 'data-action': 'markdown', text: 'Copy as Markdown', onclick: copyMarkdown }),
        h('button', { class: 'text', 'data-action': 'json', text: 'Download JSON', onclick: downloadJson })));
    // ← → walk the steps (not inside the picker or a select, where the arrows have their own use)
    root.addEventListener('keydown', (ev) => {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      const t = ev.composedPath()[0];
      if (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA') return;
      if (ev.key === 'ArrowRight') { ev.preventDefault(); go(step + 1); }
      else if (ev.key === 'ArrowLeft') { ev.preventDefault(); go(step - 1); }
      else if (ev.key === 'Escape') { ev.preventDefault(); close(); }
    });
    const ring = h('div', { class: 'walk-ring', 'aria-hidden': 'true' });
    els = { root, title, unit: unitSel, picker, list, body, prev, next, play, stepTitle, ring };
    lab.slot('walk').prepend(root);
    placeRing();
  }

  function placeRing() {
    const d = lab.frame?.data, map = lab.views.boundary.map, ext = lab.frame?.extent ?? 6;
    if (!els || !d || index === null || !map) return;
    const x = d.train[2 * index], y = d.train[2 * index + 1];
    els.ring.style.left = `${((x + ext) / (2 * ext)) * 100}%`;
    els.ring.style.top = `${((ext - y) / (2 * ext)) * 100}%`;
    if (els.ring.parentNode !== map) map.append(els.ring);
  }

  let stepList = [];
  function render() {
    if (!els || !data || data.key !== keyOf()) return;
    stepList = steps(data);
    step = Math.max(0, Math.min(step, stepList.length - 1));
    const s = stepList[step];
    els.title.textContent = data.m ? `Backprop on a mini-batch: examples #${data.indices[0]} to #${data.indices.at(-1)} (m = ${data.m})` : `Backprop on example #${index}`;
    els.unit.value = unit();
    els.picker.value = String(index);
    els.picker.max = String(Math.max(0, trainCount() - 1));
    els.stepTitle.textContent = `Step ${step + 1} of ${stepList.length}: ${s.title}`;
    const inList = !!lab.root.activeElement?.closest?.('.walk-steps');
    els.list.replaceChildren(...stepList.map((t, i) => h('li', {}, h('button', {
      class: `walk-stepbtn${i === step ? ' is-current' : ''}`, 'aria-current': i === step ? 'step' : null, 'data-step': t.id,
      text: t.title, onclick: () => go(i) }))));
    // a re-render (new weights after Apply, a frame) keeps the keyboard focus on the same button
    const focused = lab.root.activeElement?.closest?.('.walk-body') ? lab.root.activeElement.dataset.action : null;
    els.body.replaceChildren(h('div', { class: 'walk-step', 'data-step': s.id }, s.body()));
    if (focused) els.body.querySelector(`[data-action="${focused}"]`)?.focus();
    if (inList) els.list.querySelector('.is-current')?.focus();
    els.prev.disabled = step === 0;
    els.next.disabled = step === stepList.length - 1;
    if (data.broken) els.body.prepend(h('p', { class: 'warn', text: `An equation is broken on purpose (${data.broken}): these are the broken backward pass's numbers.` }));
    lab.views.network.highlight?.(s.lit, s.links ?? null);
    placeRing();
    if (lab.state.explainStep !== step) lab.set({ explainStep: step });
    performance.mark('backprop-lab:explain-drawn');
  }

  function go(i) {
    if (!stepList.length) return;
    const to = Math.max(0, Math.min(i, stepList.length - 1));
    if (to === step) return;
    step = to;
    render();
  }

  function togglePlay() { if (playTimer) stopPlay(); else startPlay(); }
  function startPlay() {
    if (!els) return;
    if (step >= stepList.length - 1) go(0);
    els.play.setAttribute('aria-pressed', 'true');
    els.play.textContent = 'Stop';
    playTimer = setInterval(() => { if (step >= stepList.length - 1) stopPlay(); else go(step + 1); }, PLAY_MS);
  }
  function stopPlay() {
    clearInterval(playTimer);
    playTimer = 0;
    if (els) { els.play.setAttribute('aria-pressed', 'false'); els.play.textContent = 'Play the walk'; }
  }

  // ---- export ----------------------------------------------------------------------------------------------

  /** The walk as Markdown: one line per step, the equations in LaTeX between $…$. */
  function markdown(d = data) {
    const lines = [d.m ? `### Backprop on a mini-batch: examples ${d.indices.join(', ')}` : `### Backprop on example #${d.index}`, '',
      `Network ${d.sizes.join('-')}, ${d.activation} hidden, ${d.outputActivation} output, ${costName(d)} cost, epoch ${d.epoch}. Layer 0 is the input (Nielsen numbers it 1).`, ''];
    for (const s of steps(d)) lines.push(`1. **${s.title}**: ${s.md()}`);
    return lines.join('\n');
  }
  async function copyMarkdown(ev) {
    if (!data) return;
    const b = ev.currentTarget, text = markdown();
    try { await navigator.clipboard.writeText(text); b.textContent = 'Copied'; } catch {
      // no clipboard (an iframe without the permission): a text area to copy from
      const area = h('textarea', { class: 'walk-md', readonly: true, rows: 8, 'aria-label': 'The walk as Markdown' });
      area.value = text;
      b.after(area);
      area.select();
      b.textContent = 'Press Ctrl+C';
    }
    setTimeout(() => { b.textContent = 'Copy as Markdown'; }, 2000);
  }
  async function downloadJson() {
    if (index === null) return;
    try {
      const walk = await lab.call('trace', { index });
      const blob = new Blob([JSON.stringify(walk, null, 1)], { type: 'application/json' });
      const a = h('a', { href: URL.createObjectURL(blob), download: `backprop-walk-example-${index}.json` });
      lab.root.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    } catch (e) { if (!e.cancelled) lab.notice(`Download JSON: ${e.message}`, { level: 'error', key: 'explain:trace' }); }
  }

  // What explain(index) resolves with: the engine's numbers as plain arrays.
  function publicNumbers(d) {
    return {
      index: d.index, x: d.x, input: d.input, y: d.y, cost: d.cost, sigmaPrimeCancels: d.sigmaPrimeCancels, broken: d.broken,
      layers: d.layers.map((x) => ({ z: x.z, a: x.a, sigmaPrime: x.sigmaPrime, gradA: x.gradA, delta: x.delta, gradW: x.gradW, gradB: x.gradB })),
    };
  }

  return {
    open, start, pickAt, sync, close, markdown: () => (data ? markdown() : ''),
    get index() { return index; }, get step() { return step; },
    destroy() { close(false); },
  };
}

export const css = `
.walk-title { text-transform: none; letter-spacing: normal; color: var(--bp-fg); }
.walk { margin: 1em 0; padding: .9em 1em 1em; background: var(--bp-surface); border: 1px solid var(--bp-border); border-radius: 4px; max-width: 70em; }
.walk:focus { outline: none; }
.walk-head { display: flex; flex-wrap: wrap; align-items: center; gap: .4em .9em; }
.walk-head button.text { margin-top: 0; }
.walk-title { font-size: 1.08em; margin: 0; font-weight: 600; flex: 1 1 12em; }
.walk-pick { display: inline-flex; align-items: center; gap: .4em; }
.walk-picker { width: 5.5em; min-height: max(24px, 2em); border: 1px solid var(--bp-line); border-radius: 3px; background: var(--bp-field); padding: 0 .3em; }
.walk-layers { margin: .5em 0; }
.walk-steps { list-style: none; display: flex; flex-wrap: wrap; gap: .3em; padding: 0; margin: .5em 0; }
.walk-stepbtn { border: 1px solid var(--bp-border); background: var(--bp-field); border-radius: 999px; padding: .15em .7em; min-height: 24px; cursor: pointer; font-size: .885em; color: var(--bp-fg); }
.walk-stepbtn.is-current { background: var(--bp-accent); color: var(--bp-accent-fg); border-color: var(--bp-accent); }
.walk-nav { display: flex; flex-wrap: wrap; align-items: center; gap: .4em .8em; margin: .4em 0; }
.walk-nav button.text { margin-top: 0; }
.walk-steptitle { font-weight: 600; flex: 1 1 10em; text-align: center; }
.walk-body { overflow-x: auto; }
.walk-step p { margin: .5em 0; line-height: 1.45; max-width: 60em; }
.walk .eq { display: flex; flex-wrap: wrap; align-items: center; gap: .35em; margin: .6em 0; font-size: 1.08em; }
.walk .op { color: var(--bp-muted); }
.walk .sep { width: 1.2em; }
.walk var.sym { font-style: italic; font-family: "Times New Roman", Georgia, serif; font-size: 1.15em; }
.walk var.sym sup, .walk var.sym sub { font-size: .7em; font-style: normal; }
.walk .formula { font-family: "Times New Roman", Georgia, serif; font-style: italic; font-size: 1.1em; }
.walk .mat { display: inline-block; position: relative; padding: .15em .45em; border-left: 1.5px solid var(--bp-fg); border-right: 1.5px solid var(--bp-fg); border-radius: 3px; }
.walk .cells { display: inline-grid; gap: .1em .7em; }
.walk .n { font-variant-numeric: tabular-nums; text-align: right; white-space: nowrap; font-size: .95em; }
.walk .heatmap .n { padding: .1em .35em; border-radius: 2px; }
.walk .note { background: var(--bp-info); border-left: 3px solid var(--bp-info-edge); padding: .4em .7em; }
.walk .warn { background: var(--bp-warn); border-left: 3px solid var(--bp-warn-edge); padding: .4em .7em; }
.walk .result { font-weight: 500; }
.walk-actions { display: flex; flex-wrap: wrap; gap: .6em; }
.walk-export { display: flex; flex-wrap: wrap; gap: .6em; margin-top: .6em; border-top: 1px solid var(--bp-border); }
.walk-md { width: 100%; font: .885em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin-top: .5em; }
.walk-neuron { display: inline-flex; align-items: center; gap: .4em; }
.walk-ring { position: absolute; width: 20px; height: 20px; margin: -10px 0 0 -10px; border-radius: 50%; border: 3px solid #183d4e;
  box-shadow: 0 0 0 2px #fff, inset 0 0 0 1px #fff; pointer-events: none; }
@container (max-width: 599px) { .walk { padding: .7em .6em; } .walk .eq { font-size: 1em; } .walk-picker { font-size: max(1rem, 16px); } }
`;

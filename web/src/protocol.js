// The messages between the lab (UI thread, lab.js) and its worker (worker.js). One place that says what
// crosses the thread boundary; every typed array in a frame is a copy and is transferred, never cloned.
//
// UI → worker
//   { type: 'configure', state }        build data + network from a full state (state.js); resets epoch to 0
//   { type: 'regenerate', state }       new data from state (new seed), keep the network and its weights
//   { type: 'hyper', state }            learning rate, regularization, batch size changed: keep everything else
//   { type: 'frame', epochs, want }     train `epochs` epochs (0 = just report), then post a frame.
//                                       want: { neuron: [l, j] | null — a large grid of that neuron too,
//                                       boundary, neurons: false to skip those grids (their views are hidden) }
//   { type: 'edit', l, j, k, value }    set w^l_jk (k ≥ 0) or b^l_j (k = -1) live, then post a frame
//   { type: 'export' }                  reply { type: 'export', json (net.toJSON()), epoch }
//   { type: 'import', json, want }      a model file's text replaces the network (data kept); replies
//                                       { type: 'imported', config } then a frame, or an 'error'
//
// worker → UI
//   { type: 'ready' }                   wasm loaded
//   { type: 'error', message }          a configure/edit was rejected; the previous network is kept
//   { type: 'frame', ...Frame }         see below
//
/**
 * @typedef {object} LayerFrame           layer l = 1 … L (index l−1 in Frame.layers)
 * @property {number} rows                n_l
 * @property {number} cols                n_(l−1)
 * @property {Float32Array} W             W^l, row-major n_l × n_(l−1)  (w^l_jk at j·cols + k)
 * @property {Float32Array} b             b^l
 * @property {Float32Array} gradW         ∂C/∂W^l over the whole training set (row-major, like W)
 * @property {Float32Array} gradB         ∂C/∂b^l
 * @property {number} deltaNorm           ‖δ^l‖: root mean square over training examples of ‖δ_x^l‖
 * @property {number} gradWNorm           ‖∂C/∂W^l‖ (Frobenius)
 * @property {number} gradBNorm           ‖∂C/∂b^l‖
 * @property {Float32Array} saturation    per neuron: fraction of training examples with σ'(z) ≈ 0
 *                                        (σ'(z) < 5 % of its maximum; ReLU: z ≤ 0)
 *
 * @typedef {object} Frame
 * @property {number} epoch               epochs trained since the last configure
 * @property {number} trainCost           C on the training set (with the regularization term)
 * @property {number|null} testCost       null when there is no test data
 * @property {number|null} trainAccuracy  null for regression
 * @property {number|null} testAccuracy
 * @property {boolean} diverged           this frame's training was stopped by a rejected step
 * @property {string} [message]
 * @property {number[]} sizes             [n_0, n_1, …, n_L]
 * @property {string[]} features          the input features, in order (n_0 of them)
 * @property {'binary'|'multiclass'|'regression'} kind
 * @property {string} outputActivation    'sigmoid' | 'tanh' | 'linear' | 'softmax' (the resolved one)
 * @property {string} activation          hidden activation
 * @property {number} extent              the grids cover [−extent, extent]² (6)
 * @property {Float32Array} boundary      empty when want.boundary was false; else output-major, outputs × res², res = boundaryRes, row 0 at the top
 * @property {number} boundaryRes         100, or 50 on networks where a 100² grid costs over ~4 ms a frame
 * @property {Float32Array} neurons       a^l_j over a thumbRes² grid for l = 1 … L, j = 0 … n_l − 1, in that
 *                                        order (neuron (l, j) at offset (Σ_{m<l} n_m + j) · thumbRes²,
 *                                        counting from layer 1)
 * @property {number} thumbRes
 * @property {Float32Array} [neuron]      when want.neuron was set: that neuron at boundaryRes²
 * @property {LayerFrame[]} layers
 * @property {{train: Float32Array, trainLabels: Float32Array, test: Float32Array, testLabels: Float32Array}} [data]
 *                                        points (n × 2) and targets (n × outputs), sent after configure/regenerate only
 * @property {number} trainMs             time the worker spent training in this frame
 */
export const BOUNDARY_RES = 100;
export const THUMB_RES = 24;
export const EXTENT = 6;

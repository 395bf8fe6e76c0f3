// The messages between the lab (UI thread, lab.js) and its worker (worker.js). One place that says what
// crosses the thread boundary; every typed array in a frame is a copy and is transferred, never cloned.
//
// Every message from the lab is a request with an id; the worker runs them one at a time in the order they
// were posted (also while the engine is still loading) and answers each with exactly one message carrying the
// same id: a frame, a reply, or an error. lab.js's #call() turns that into a Promise.
//
// UI → worker: { type, id, ...payload }                 answer
//   { type: 'init', module }            load the engine (module: a compiled WebAssembly.Module, or null)
//                                                         reply 'ready'
//   { type: 'configure', state, want, keepWeights? }  build data + network from a full state (state.js plus
//                                       sizes and the resolved outputActivation/cost; dataset 'own': the points of
//                                       state.data, split by trainRatio and seed); epoch 0. keepWeights: the new
//                                       network starts from the current weights (same shapes) and the epoch goes on
//                                                                                                      frame
//   { type: 'regenerate', state, want } new data from state (new seed, own data edited), keep the network and
//                                       its weights                                                    frame
//   { type: 'hyper', state, want }      learning rate, regularization, batch size changed              frame
//   { type: 'frame', epochs, steps?, want, group? }  train `epochs` epochs (0 = just report; 'max' = what
//                                       fits in ~10 ms), or with steps > 0 that many mini-batch steps of the
//                                       engine's schedule ("Step one mini-batch": steps 1), then a frame. want: { neuron: [l, j] | null — a large grid
//                                       of that neuron too, boundary, neurons: false to skip those grids
//                                       (their views are hidden) }. group: the chunks of one step(n): after
//                                       one diverged, the later ones do not train                    frame
//   { type: 'edit', l, j, k, value, want }  set w^l_jk (k ≥ 0) or b^l_j (k = -1)                        frame
//   { type: 'thumbnails', names }       reply { [dataset]: { points, labels, kind } }
//   { type: 'export' }                  reply { json (net.toJSON()), epoch, schedule (net.schedule()) }
//   { type: 'import', model, epoch?, want }  a toJSON() object replaces the network (data kept), starting
//                                       at `epoch` (0 by default)                                      frame
//   { type: 'restore', state, model, epoch, schedule?, want }  a lab put back after its worker stopped, or a
//                                       lab file: data from `state` (as configure), network and epoch from the
//                                       snapshot, and the mini-batch schedule (a lab file: the same next epoch)  frame
//
// worker → UI
//   { type: 'frame', id, ...Frame }     see below
//   { type: 'reply', id, value }
//   { type: 'error', id, request, message }   the request was rejected; the previous network is kept
//   { type: 'progress', id, done, total }     gradientCheck, at most every 100 ms: done of total parameters
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
 *                                        (σ'(z) < 5 % of its maximum; 0 for ReLU and linear, and at an output
 *                                        where cross-entropy cancels σ')
 * @property {Float32Array|null} dead     per neuron: fraction of training examples with z ≤ 0 (ReLU; else 0)
 *
 * @typedef {object} Frame
 * @property {number} epoch               epochs trained since the last configure (kept steps only)
 * @property {number} trainCost           C on the training set (with the regularization term)
 * @property {number|null} testCost       null when there is no test data
 * @property {number|null} trainAccuracy  null for regression
 * @property {number|null} testAccuracy
 * @property {{restoredEpoch: number|null, learningRate: number, message: string}|null} diverged
 *                                        this frame's training diverged and stopped: the engine went back to
 *                                        the weights of epoch restoredEpoch (its last healthy checkpoint), or
 *                                        (null, an engine without checkpoints) kept those from before the bad step
 * @property {boolean} halted            an earlier chunk of the same step(n) diverged: this one did not train
 * @property {{done: number, of: number}|null} batch  training stands inside an epoch (after a mini-batch
 *                                        step): `done` of its `of` mini-batches are trained; null at an epoch's start
 * @property {object} [model]             net.toJSON() without weights/biases, after configure/import only
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

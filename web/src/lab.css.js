// The lab's own styles, scoped by its shadow root. Light and quiet like the Playground: one accent colour,
// thin rules, small grey labels; the data and the network are what carry colour.
export const labCss = `
:host { display: block; container-type: inline-size; font-family: var(--bp-font, system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif);
  font-size: 13px; color: #333; --bp-muted: #777; --bp-border: #e3e3e3; --bp-accent: #0877bd; --bp-dark: #183d4e; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
button, select, input { font: inherit; color: inherit; }
button:focus-visible, select:focus-visible, input:focus-visible, [tabindex]:focus-visible { outline: 2px solid var(--bp-accent); outline-offset: 2px; }
h2 { font-size: 12px; font-weight: 600; letter-spacing: .08em; text-transform: uppercase; color: #555; margin: 0 0 8px; }
.hint { color: var(--bp-muted); margin: 0 0 8px; font-size: 12px; }
.lab { background: #fff; }

/* top bar: transport on the left, hyper-parameters as labelled selects */
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 24px; padding: 12px 16px; background: #f7f7f7; border-bottom: 1px solid var(--bp-border); }
.transport { display: flex; align-items: center; gap: 10px; }
.round { width: 36px; height: 36px; border-radius: 50%; border: 1px solid #ccc; background: #fff; cursor: pointer; font-size: 15px; line-height: 1; color: #444; }
.round:hover { background: #eee; }
.play { width: 52px; height: 52px; border-radius: 50%; border: 0; background: var(--bp-dark); cursor: pointer; position: relative; box-shadow: 0 1px 3px rgba(0,0,0,.3); }
.play:hover { background: #24566d; }
.play .icon { position: absolute; left: 50%; top: 50%; width: 0; height: 0; margin: -9px 0 0 -5px; border-style: solid; border-width: 9px 0 9px 15px; border-color: transparent transparent transparent #fff; }
.play.playing .icon { margin: -8px 0 0 -7px; width: 14px; height: 16px; border: 0; border-left: 5px solid #fff; border-right: 5px solid #fff; }
.epoch { display: flex; flex-direction: column; margin-left: 6px; }
.epoch .label, .control .label { font-size: 11px; color: var(--bp-muted); }
.epoch-value { font-size: 22px; font-variant-numeric: tabular-nums; color: #333; letter-spacing: .02em; }
.hypers { display: flex; flex-wrap: wrap; gap: 8px 18px; }
.control { display: flex; flex-direction: column; gap: 2px; }
.control select { border: 0; border-bottom: 1px solid #bbb; background: transparent; padding: 2px 0; min-width: 86px; cursor: pointer; }
.control select:disabled { color: #aaa; cursor: default; }

.notices { display: flex; flex-direction: column; gap: 4px; padding: 0 16px; }
.notices:not(:empty) { padding: 8px 16px; }
.notice { display: flex; align-items: flex-start; gap: 8px; padding: 6px 10px; border-radius: 4px; border-left: 4px solid; font-size: 12.5px; }
.notice span { flex: 1; }
.notice.info { background: #eef6fc; border-color: var(--bp-accent); }
.notice.warning { background: #fff6e5; border-color: #f0a020; }
.notice.error { background: #fdecea; border-color: #d93025; }
.notice .dismiss { border: 0; background: none; cursor: pointer; font-size: 16px; line-height: 1; color: #666; padding: 0 2px; }

/* three columns like the Playground: data | network | output; they stack on narrow screens */
.cols { display: grid; grid-template-columns: 200px minmax(0, 1fr) minmax(300px, 380px); gap: 20px; padding: 16px; align-items: start; }
.lab.no-data-col .cols { grid-template-columns: minmax(0, 1fr) minmax(280px, 380px); }
.lab.no-data-col .col.data { display: none; }
.col { min-width: 0; }
.datasets { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px; margin-bottom: 12px; }
.dataset { display: flex; flex-direction: column; align-items: center; gap: 2px; padding: 3px; border: 2px solid transparent; border-radius: 4px; background: none; cursor: pointer; font-size: 10px; color: #666; }
.dataset canvas { width: 100%; max-width: 56px; aspect-ratio: 1; border: 1px solid #ddd; }
.dataset[aria-checked="true"] { border-color: var(--bp-accent); color: #222; }
.dataset:hover canvas { border-color: #999; }
.slider { margin: 8px 0; }
.slider input { width: 100%; accent-color: var(--bp-accent); }
.slider .label { font-size: 12px; color: #555; }
.col.data > .control:not(.slider) { margin: 6px 0; }
button.text { border: 1px solid #ccc; background: #fff; border-radius: 3px; padding: 5px 12px; cursor: pointer; font-size: 12px; margin-top: 6px; }
button.text:hover { background: #f0f0f0; }
.toggles { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 10px 0 4px; }
.check { display: flex; align-items: center; gap: 6px; cursor: pointer; font-size: 12px; color: #444; }
.check input { accent-color: var(--bp-accent); margin: 0; }
.view-gradients { padding: 0 16px 16px; }

@container (max-width: 980px) {
  .cols { grid-template-columns: minmax(0, 1fr) minmax(280px, 360px); }
  .col.data { grid-column: 1 / -1; display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 4px 16px; align-items: end; }
  .col.data h2, .col.data .hint, .col.data .datasets { grid-column: 1 / -1; }
  .datasets { grid-template-columns: repeat(9, minmax(0, 56px)); }
}
@container (max-width: 700px) {
  .bar { padding: 10px; gap: 8px 14px; }
  .cols, .lab.no-data-col .cols { grid-template-columns: minmax(0, 1fr); padding: 10px; gap: 16px; }
  .datasets { grid-template-columns: repeat(5, minmax(0, 1fr)); }
  .hypers { gap: 8px 12px; }
  .control select { min-width: 0; max-width: 140px; }
  .view-gradients { padding: 0 10px 10px; }
}
`;

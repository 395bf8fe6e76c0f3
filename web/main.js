// The full page: the <backprop-lab> element, kept in sync with the URL hash (sync-url).
import './src/lab.js';

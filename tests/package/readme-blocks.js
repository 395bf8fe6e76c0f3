// The README's runnable blocks, found the same way by the repository's README test
// (tests/bindings/readme.test.js) and by the installed-package test (install.test.js).

/** The JS API example: the first ```js block under "## The JS API". */
export function apiExample(readme) {
  const section = readme.indexOf('\n## The JS API');
  if (section < 0) throw new Error('README has no "## The JS API" section');
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(section));
  if (!block) throw new Error('README has no ```js block under "## The JS API"');
  return block[1];
}

/** The `npx backprop-lab …` lines of the first ```sh block under "## The command line", comments removed. */
export function cliLines(readme) {
  const section = readme.indexOf('\n## The command line');
  if (section < 0) throw new Error('README has no "## The command line" section');
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(section));
  if (!block) throw new Error('README has no ```sh block under "## The command line"');
  return block[1].split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l.startsWith('npx backprop-lab'));
}

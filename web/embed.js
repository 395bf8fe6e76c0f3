// embed.html?controls=play,step&views=boundary,network&autoplay&hints#<state>: an iframe cannot set the element's
// attributes, so the query string carries the element-only ones (the state itself is in the hash). They
// apply live, so it does not matter whether this runs before or after the element is defined.
const lab = document.querySelector('backprop-lab');
const query = new URLSearchParams(location.search);
for (const name of ['controls', 'views']) {
  if (query.has(name)) lab.setAttribute(name, query.get(name));
}
if (query.has('autoplay')) lab.setAttribute('autoplay', '');
if (query.has('hints')) lab.setAttribute('hints', '');  // the first-visit tips: never in an embed unless asked

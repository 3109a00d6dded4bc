// Progressive enhancement only: every page works without this file.
document.documentElement.classList.remove('no-js');
if (window.DKFDS && typeof window.DKFDS.init === 'function') window.DKFDS.init();
for (const button of document.querySelectorAll('.js-print')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
// After a refused form, move focus to the error summary so screen readers hear it first.
const summary = document.getElementById('error-summary');
if (summary) summary.focus();

/**
 * The report page's only script (inline, plain ES2017): the filters over the matrix rows and
 * the failures (by area, verdict, level and text), and the replay command's copy button, which
 * falls back to a selected textarea where the clipboard API is unavailable (file:// pages).
 */
export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var form = document.getElementById('filters');
  var shown = document.getElementById('shown');
  function matches(el, f) {
    var verdicts = ' ' + (el.getAttribute('data-verdicts') || '') + ' ';
    if (f.area && el.getAttribute('data-area') !== f.area) return false;
    if (f.level && el.getAttribute('data-level') !== f.level) return false;
    if (f.verdict === 'failing') { if (verdicts.indexOf(' fail ') < 0 && verdicts.indexOf(' error ') < 0) return false; }
    else if (f.verdict && verdicts.indexOf(' ' + f.verdict + ' ') < 0) return false;
    if (f.text && (el.getAttribute('data-text') || '').indexOf(f.text) < 0) return false;
    return true;
  }
  function apply() {
    if (!form) return;
    var f = {
      area: form.elements.area.value,
      level: form.elements.level.value,
      verdict: form.elements.verdict.value,
      text: form.elements.text.value.trim().toLowerCase()
    };
    var rows = 0, rowsShown = 0, failures = 0;
    var els = document.querySelectorAll('[data-filter]');
    for (var i = 0; i < els.length; i++) {
      var ok = matches(els[i], f);
      els[i].classList.toggle('hidden', !ok);
      if (els[i].tagName === 'TR') { rows++; if (ok) rowsShown++; }
      else if (ok) failures++;
    }
    if (shown) shown.textContent = rowsShown + ' of ' + rows + ' rules shown';
    var count = document.getElementById('failure-count');
    if (count) count.textContent = String(failures);
  }
  if (form) {
    form.addEventListener('input', apply);
    form.addEventListener('change', apply);
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    apply();
  }
  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  document.addEventListener('click', function (e) {
    var button = e.target && e.target.closest ? e.target.closest('button.copy') : null;
    if (!button) return;
    var source = document.getElementById(button.getAttribute('data-target'));
    if (!source) return;
    var text = source.textContent || '';
    function done(ok) {
      button.textContent = ok ? 'copied' : 'select and copy';
      button.setAttribute('data-copied', ok ? 'yes' : 'no');
      setTimeout(function () { button.textContent = 'copy'; }, 1500);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(text)); });
    } else {
      done(fallbackCopy(text));
    }
  });
})();
`;

// The little JavaScript the site has; every page works without it except the two file pickers.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  // Bidder check: a CSV file's text goes into the bidders box (the server reads its codes and names).
  for (const input of document.querySelectorAll('input[type=file][data-fills]')) {
    input.addEventListener('change', async () => {
      const file = input.files && input.files[0];
      const target = document.getElementById(input.dataset.fills);
      if (!file || !target) return;
      const text = (await file.text()).replace(/^\uFEFF/, '');
      target.value = [target.value.trim(), text.trim()].filter(Boolean).join('\n');
    });
  }
  // Report verification: the chosen PDF is sent to this site, which hashes it and asks the graph.
  for (const form of document.querySelectorAll('form.file-check')) {
    const input = form.querySelector('input[type=file]');
    const result = form.querySelector('.file-result');
    input.addEventListener('change', async () => {
      const file = input.files && input.files[0];
      if (!file) return;
      const response = await fetch(`/verify/${encodeURIComponent(form.dataset.number)}/file`, {
        method: 'POST', headers: { 'content-type': 'application/pdf' }, body: file,
      });
      const answer = await response.json();
      result.textContent = answer.unaltered ? form.dataset.unaltered : form.dataset.altered;
      result.className = `file-result ${answer.unaltered ? 'good' : 'bad'}`;
    });
  }
});

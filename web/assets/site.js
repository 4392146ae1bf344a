// The little JavaScript the site has; every page works without it except the bidder check's CSV picker.
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
});

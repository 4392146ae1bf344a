// The little JavaScript the site has; every page works without it except the bidder check's CSV picker.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  // Bidder check: a chosen CSV file's text replaces the bidders box (the server reads its codes and names).
  // Excel on Chinese Windows saves CSV in GBK: text that is not UTF-8 is read as GB18030, GBK's superset.
  // Excel's "Unicode text" export is UTF-16 with a byte-order mark.
  const decode = (bytes) => {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes); // drops a byte-order mark
    } catch {
      return new TextDecoder('gb18030').decode(bytes);
    }
  };
  for (const input of document.querySelectorAll('input[type=file][data-fills]')) {
    input.addEventListener('change', async () => {
      const file = input.files && input.files[0];
      const target = document.getElementById(input.dataset.fills);
      if (!file || !target) return;
      target.value = decode(new Uint8Array(await file.arrayBuffer())).trim();
    });
  }
});

/**
 * Script installed in every rendered document as `window.__sim`: looks elements up by the
 * runtime's ids and measures them. Plain JS in a string because it runs in Chromium, not Node.
 * A virtualHost component has no element: it is measured as the union of what it rendered
 * (`data-sim-host`).
 */
export const PAGE_HELPERS = String.raw`
(function () {
  function els(id) {
    var q = CSS.escape(String(id));
    return Array.prototype.slice.call(
      document.querySelectorAll('[data-sim-id="' + q + '"],[data-sim-host~="' + q + '"]'));
  }
  function dash(name) { return name.replace(/[A-Z]/g, function (c) { return '-' + c.toLowerCase(); }); }
  function rect(id) {
    var list = els(id);
    if (!list.length) return null;
    var l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
    list.forEach(function (el) {
      var x = el.getBoundingClientRect();
      l = Math.min(l, x.left); t = Math.min(t, x.top); r = Math.max(r, x.right); b = Math.max(b, x.bottom);
    });
    return { left: l, top: t, right: r, bottom: b, width: r - l, height: b - t };
  }
  function plain(v) {
    return v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? (v === undefined ? null : v) : null;
  }
  window.__sim = {
    applyScroll: function () {
      document.querySelectorAll('[data-sim-scroll]').forEach(function (el) {
        var v = el.getAttribute('data-sim-scroll').split(',');
        el.scrollTop = Number(v[0]) || 0;
        el.scrollLeft = Number(v[1]) || 0;
      });
      return true;
    },
    has: function (id) { return els(id).length > 0; },
    rect: rect,
    box: function (id) {
      var x = rect(id);
      return x && { left: x.left + window.scrollX, top: x.top + window.scrollY, width: x.width, height: x.height };
    },
    offset: function (id) {
      var x = rect(id);
      return x && { left: x.left + window.scrollX, top: x.top + window.scrollY };
    },
    styles: function (id, names) {
      var el = els(id)[0];
      if (!el) return null;
      var cs = getComputedStyle(el);
      return names.map(function (n) { return cs.getPropertyValue(n.indexOf('-') >= 0 ? n : dash(n)); });
    },
    dom: function (id, names) {
      var list = els(id);
      if (!list.length) return null;
      var x = rect(id);
      var el = list[0];
      return names.map(function (n) {
        if (list.length > 1 || !el.hasAttribute('data-sim-id') || el.getAttribute('data-sim-id') !== String(id)) {
          // A virtual host: report the union box for the layout numbers.
          if (n === 'offsetWidth' || n === 'clientWidth') return Math.round(x.width);
          if (n === 'offsetHeight' || n === 'clientHeight') return Math.round(x.height);
          if (n === 'offsetLeft') return Math.round(x.left + window.scrollX);
          if (n === 'offsetTop') return Math.round(x.top + window.scrollY);
        }
        return plain(el[n]);
      });
    },
    windowProps: function (names) {
      return names.map(function (name) {
        var parts = String(name).split('.');
        var value = window;
        for (var i = 0; i < parts.length; i++) {
          if (!/^[A-Za-z_$][\w$]*$/.test(parts[i]) || value === null || value === undefined) return null;
          if (i === 0 && parts[0] === 'window') continue;
          value = value[parts[i]];
        }
        return plain(value);
      });
    },
  };
})();
`;

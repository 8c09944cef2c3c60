// Progressive enhancement: refresh the queue's rows every 30 seconds without reloading the
// page. Without JavaScript the page works the same; the adviser reloads it.
(function () {
  "use strict";
  var table = document.querySelector("table[data-refresh]");
  var body = document.getElementById("queue-rows");
  var total = document.querySelector("[data-count-total]");
  if (!table || !body || !window.fetch) { return; }
  function refresh() {
    if (document.hidden) { return; }
    fetch(table.getAttribute("data-refresh"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        body.innerHTML = data.rows;
        if (total) { total.textContent = (data.counts.total && data.counts.total.all) || 0; }
      })
      .catch(function () { /* offline or signed out: keep what is shown */ });
  }
  window.setInterval(refresh, 30000);
})();

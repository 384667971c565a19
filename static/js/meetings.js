// Meeting pages: the voter's checkbox limit and single submit, the print button, confirmations.
(function () {
  "use strict";
  document.querySelectorAll("form.vote-form[data-max]").forEach(function (form) {
    var max = parseInt(form.getAttribute("data-max"), 10);
    var boxes = form.querySelectorAll("input[type=checkbox][name=choice]");
    var left = form.querySelector(".vote-left");
    function update() {
      var n = 0;
      boxes.forEach(function (b) { if (b.checked) { n += 1; } });
      boxes.forEach(function (b) { b.disabled = !b.checked && n >= max; });
      if (left) { left.textContent = "已选 " + n + " 人。"; }
    }
    boxes.forEach(function (b) { b.addEventListener("change", update); });
    update();
    form.addEventListener("submit", function (event) {
      var button = form.querySelector("button[type=submit]");
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      if (button) { button.disabled = true; button.textContent = "正在提交…"; }
      // A disabled submit button is not sent: keep its name/value in a hidden field.
      var cast = document.createElement("input");
      cast.type = "hidden"; cast.name = "cast"; cast.value = "1";
      form.appendChild(cast);
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-confirm]").forEach(function (b) {
    b.addEventListener("click", function (event) {
      if (!window.confirm(b.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();

// The image admin's focal-point picker: a click on the preview sets focal_x / focal_y
// (hidden inputs, 0..1 from the top left) and moves the dot there.
(function () {
  "use strict";

  function clamp(value) {
    return Math.min(1, Math.max(0, value));
  }

  function setUp(picker) {
    var form = picker.closest("form");
    var inputX = form && form.querySelector("input[name=focal_x]");
    var inputY = form && form.querySelector("input[name=focal_y]");
    var image = picker.querySelector("img");
    var dot = picker.querySelector(".focal-picker__dot");
    if (!inputX || !inputY || !image || !dot) {
      return;
    }

    function draw() {
      dot.style.left = clamp(parseFloat(inputX.value) || 0.5) * 100 + "%";
      dot.style.top = clamp(parseFloat(inputY.value) || 0.5) * 100 + "%";
      dot.hidden = false;
    }

    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      inputX.value = clamp((event.clientX - box.left) / box.width).toFixed(4);
      inputY.value = clamp((event.clientY - box.top) / box.height).toFixed(4);
      draw();
    });
    draw();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-focal-picker]").forEach(setUp);
  });
})();

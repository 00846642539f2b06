// The Copy button of a flash message. The clipboard API exists only on secure pages (HTTPS, localhost); a server
// reached over plain HTTP on the local network falls back to the older copy command on the selected text, and if
// that fails too the text stays selected, so that Ctrl+C copies it.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-copy]");
  if (!button) return;
  var field = document.getElementById(button.getAttribute("data-copy"));
  var copied = function () { button.textContent = button.getAttribute("data-copied"); };
  var selectIt = function () {
    field.focus();
    field.select();
    try { if (document.execCommand("copy")) copied(); } catch (error) { /* the text stays selected */ }
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(copied, selectIt);
  } else {
    selectIt();
  }
});

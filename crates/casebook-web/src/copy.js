// The copy button on a letter. Pages work without scripts: the button stays hidden
// there, and the letter can still be selected, opened in the mail app or downloaded.
for (const button of document.querySelectorAll("button[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.status);
  if (!source || !status || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(source.innerText).then(
      () => { status.textContent = "Copied: paste it into your email or message."; },
      () => { status.textContent = "Your browser did not let casebook copy it: select the letter and copy it instead."; },
    );
  });
}

// The entry page's vote button, without leaving the page; the form still works without this script.
for (const form of document.querySelectorAll("form[data-vote]")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const output = form.querySelector("output");
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const answer = await fetch(form.action, {method: "POST", body: new FormData(form),
        headers: {Accept: "application/json"}, credentials: "same-origin"});
      const data = await answer.json();
      output.textContent = data.error || form.dataset.counted.replace("{n}", String(data.votes));
      if (data.error && answer.status === 401) window.location.href = form.dataset.login;
    } catch (error) {
      form.submit();
    } finally {
      button.disabled = false;
    }
  });
}
for (const button of document.querySelectorAll("[data-print]")) button.addEventListener("click", () => window.print());

// Follow buttons (templates/_follow.html): PUT or DELETE over the API instead of reloading the page.
(function () {
  "use strict";
  if (window.hubFollowReady) { return; }  // the macro may appear more than once on a page
  window.hubFollowReady = true;

  function label(form, on) {
    var button = form.querySelector(".follow-button");
    button.textContent = on ? form.dataset.labelFollowing : form.dataset.labelFollow;
    button.classList.toggle("is-following", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    form.action = on ? form.dataset.unfollowUrl : form.dataset.followUrl;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("follow-form") || !window.fetch) { return; }
    event.preventDefault();
    var button = form.querySelector(".follow-button");
    var on = button.getAttribute("aria-pressed") === "true";
    var token = form.querySelector("input[name=csrf_token]").value;
    button.disabled = true;
    fetch(form.dataset.followApi, {
      method: on ? "DELETE" : "PUT", credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (state) {
      label(form, state.following);
    }).catch(function () {
      button.title = form.dataset.error;
    }).then(function () {
      button.disabled = false;
    });
  });

  // A followed button offers "Unfollow" while pointed at, so the way out is clear.
  document.addEventListener("mouseover", function (event) {
    var button = event.target.closest && event.target.closest(".follow-button.is-following");
    if (button) { button.textContent = button.form.dataset.labelUnfollow; }
  });
  document.addEventListener("mouseout", function (event) {
    var button = event.target.closest && event.target.closest(".follow-button.is-following");
    if (button) { button.textContent = button.form.dataset.labelFollowing; }
  });
}());

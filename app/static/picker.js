// Pickers: suggestions while typing a NIP or a name, and a filter for long
// lists. Progressive enhancement only: without JavaScript the field is a
// plain text box or <select> and the server validates what is sent.
//
//   <div data-picker="/slug/cari/pegawai">  …a text <input>…  </div>
//     → the input gets a <datalist> filled from the JSON search as one types.
//   <div data-picker-filter="Saring daftar">  …a <select>…  </div>
//     → a search box above the <select> hides the options that do not match.
(() => {
  "use strict";
  let counter = 0;

  function suggest(box) {
    const input = box.querySelector("input:not([type=hidden])");
    if (!input || input.list) return;
    const list = document.createElement("datalist");
    list.id = `picker-list-${++counter}`;
    box.appendChild(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    let timer = null;
    let asked = "";
    const ask = async () => {
      const term = input.value.trim();
      if (term.length < 2 || term === asked) return;
      asked = term;
      const url = new URL(box.dataset.picker, window.location.href);
      url.searchParams.set("q", term);
      let answer;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok) return;
        answer = await response.json();
      } catch (error) {
        return; // offline or signed out: the plain field still works
      }
      if (input.value.trim() !== term) return; // a newer question is on its way
      list.replaceChildren(...answer.results.map((choice) => {
        const option = document.createElement("option");
        option.value = choice.value;
        option.label = choice.label;
        option.textContent = choice.label;
        return option;
      }));
    };
    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 200);
    });
  }

  function filter(box) {
    const select = box.querySelector("select");
    if (!select || box.querySelector("input[data-picker-search]")) return;
    const search = document.createElement("input");
    search.type = "search";
    search.dataset.pickerSearch = "";
    search.setAttribute("aria-label", box.dataset.pickerFilter);
    search.placeholder = box.dataset.pickerFilter;
    search.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(search, select);
    search.addEventListener("input", () => {
      const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      for (const option of select.options) {
        const text = option.textContent.toLowerCase();
        option.hidden = option.value !== "" && !option.selected && !words.every((w) => text.includes(w));
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-picker]").forEach(suggest);
    document.querySelectorAll("[data-picker-filter]").forEach(filter);
  });
})();

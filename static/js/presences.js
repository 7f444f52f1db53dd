// The attendance grid by keyboard: P, R, J, A set a cell and move down its half-day;
// the arrows move between cells; "Tous présents" fills the blank cells of its column.
// Without this file the grid is an ordinary form that works the same.
(function () {
  "use strict";
  var grille = document.querySelector("table.grille");
  if (!grille) {
    return;
  }
  grille.classList.add("avec-script");
  var TOUCHES = { p: "present", r: "retard", j: "absent_justifie", a: "absent_non_justifie" };
  var lignes = Array.prototype.map.call(grille.tBodies[0].rows, function (ligne) {
    return Array.prototype.slice.call(ligne.cells, 1);
  });

  function position(select) {
    var cellule = select.closest("td");
    var ligne = cellule.parentElement;
    return { ligne: ligne.sectionRowIndex, colonne: cellule.cellIndex - 1 };
  }

  function selectA(ligne, colonne) {
    var cellule = lignes[ligne] && lignes[ligne][colonne];
    return cellule ? cellule.querySelector("select.saisie-statut") : null;
  }

  function chercher(depart, pasLigne, pasColonne) {
    var ligne = depart.ligne + pasLigne;
    var colonne = depart.colonne + pasColonne;
    while (ligne >= 0 && ligne < lignes.length && colonne >= 0 && colonne < lignes[0].length) {
      var select = selectA(ligne, colonne);
      if (select) {
        return select;
      }
      ligne += pasLigne;
      colonne += pasColonne;
    }
    return null;
  }

  function suivante(depart) {
    // Down the column, then the top of the next one.
    var select = chercher(depart, 1, 0);
    for (var colonne = depart.colonne + 1; !select && colonne < lignes[0].length; colonne++) {
      select = selectA(0, colonne) || chercher({ ligne: -1, colonne: colonne }, 1, 0);
    }
    return select;
  }

  function marquer(select) {
    var cellule = select.closest("td");
    cellule.classList.toggle("avec-retard", select.value === "retard");
    cellule.classList.toggle("avec-motif", select.value === "absent_justifie");
  }

  grille.addEventListener("keydown", function (evenement) {
    var select = evenement.target;
    if (!select.matches || !select.matches("select.saisie-statut")) {
      return;
    }
    var depart = position(select);
    var cible = null;
    var touche = evenement.key.toLowerCase();
    if (TOUCHES[touche] && !evenement.ctrlKey && !evenement.metaKey && !evenement.altKey) {
      evenement.preventDefault();
      select.value = TOUCHES[touche];
      marquer(select);
      if (touche === "r" || touche === "j") {
        var detail = select.closest("td").querySelector(
          touche === "r" ? "input.saisie-minutes" : "input.saisie-motif"
        );
        detail.focus();
        return;
      }
      cible = suivante(depart);
    } else if (evenement.key === "ArrowDown") {
      cible = chercher(depart, 1, 0);
    } else if (evenement.key === "ArrowUp") {
      cible = chercher(depart, -1, 0);
    } else if (evenement.key === "ArrowRight") {
      cible = chercher(depart, 0, 1);
    } else if (evenement.key === "ArrowLeft") {
      cible = chercher(depart, 0, -1);
    } else {
      return;
    }
    evenement.preventDefault();
    if (cible) {
      cible.focus();
    }
  });

  grille.addEventListener("keydown", function (evenement) {
    var champ = evenement.target;
    if (evenement.key !== "Enter" || !champ.matches("input.saisie-minutes, input.saisie-motif")) {
      return;
    }
    // Enter in a detail goes on with the next cell rather than submitting the week.
    evenement.preventDefault();
    var select = champ.closest("td").querySelector("select.saisie-statut");
    var cible = suivante(position(select));
    if (cible) {
      cible.focus();
    }
  });

  grille.addEventListener("change", function (evenement) {
    if (evenement.target.matches("select.saisie-statut")) {
      marquer(evenement.target);
    }
  });

  Array.prototype.forEach.call(grille.querySelectorAll("select.saisie-statut"), marquer);

  Array.prototype.forEach.call(grille.querySelectorAll("button.tous-presents"), function (bouton) {
    bouton.addEventListener("click", function (evenement) {
      evenement.preventDefault();
      var selects = grille.querySelectorAll(
        'select.saisie-statut[data-creneau="' + bouton.dataset.creneau + '"]'
      );
      Array.prototype.forEach.call(selects, function (select) {
        if (!select.value) {
          select.value = "present";
          marquer(select);
        }
      });
    });
  });
})();

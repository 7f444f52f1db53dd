from django import template

from portail import francais

register = template.Library()

register.filter("de", francais.de)
register.filter("du", francais.du)
register.filter("un", francais.un)
register.filter("pluriel", francais.pluriel)
register.simple_tag(francais.quantite, name="quantite")

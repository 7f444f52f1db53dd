from django import template

from portail import francais

register = template.Library()

register.filter("de", francais.de)
register.filter("pluriel", francais.pluriel)
register.simple_tag(francais.quantite, name="quantite")

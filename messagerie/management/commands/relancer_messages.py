from django.core.management.base import BaseCommand

from messagerie import services


class Command(BaseCommand):
    help = "Confie aux workers les messages en attente, en échec ou interrompus."

    def handle(self, *args, **options):
        nombre = services.relancer()
        self.stdout.write(f"{nombre} message(s) confié(s) aux workers.")

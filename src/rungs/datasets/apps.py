from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatasetsConfig(AppConfig):
    """Data sets in and out of the database: frames for the engine, the importer, the loader, and the
    import services. Above people and records (it writes both), below everything that imports."""

    name = "rungs.datasets"
    verbose_name = _("数据集")

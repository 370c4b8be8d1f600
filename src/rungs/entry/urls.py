from django.urls import path

from rungs.entry.views import facts, imports, policies

app_name = "entry"
urlpatterns = [
    path("", facts.index, name="index"),
    path("score/", facts.score, name="score"),
    path("attestation/", facts.attestation, name="attestation"),
    path("commendation/", facts.commendation, name="commendation"),
    path("exam/", facts.exam, name="exam"),
    path("exam/bulk/", facts.exam_bulk, name="exam_bulk"),
    path("import/", imports.upload, name="import"),
    path("import/done/", imports.done, name="import_done"),
    path("import/<str:token>/", imports.preview, name="import_preview"),
    path("import/<str:token>/commit/", imports.commit, name="import_commit"),
    path("import/<str:token>/cancel/", imports.cancel, name="import_cancel"),
    path("policies/", policies.index, name="policies"),
    path("policies/new/", policies.upload, name="policy_upload"),
    path("policies/run/", policies.run, name="policy_run"),
    path("policies/<int:pk>/", policies.detail, name="policy"),
    path("policies/<int:pk>/whatif/", policies.whatif, name="policy_whatif"),
    path("policies/<int:pk>/approve/", policies.approve, name="policy_approve"),
    path("runs/<int:pk>/", policies.run_detail, name="run"),
]

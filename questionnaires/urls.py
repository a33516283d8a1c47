from django.contrib.auth import views as auth_views
from django.urls import path

from .views import public, respondent

urlpatterns = [
    path("", public.home, name="home"),
    path("model/", public.model_overview, name="model-overview"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Respondents: a link with a token, then token-free pages bound to the session.
    path("s/<str:token>/", respondent.survey_enter, name="survey-enter"),
    path("survey/", respondent.survey_welcome, name="survey-welcome"),
    path("survey/page/<int:number>/", respondent.survey_page, name="survey-page"),
    path("survey/save/", respondent.survey_autosave, name="survey-autosave"),
    path("survey/review/", respondent.survey_review, name="survey-review"),
    path("survey/submit/", respondent.survey_submit, name="survey-submit"),
    path("survey/thanks/", respondent.survey_thanks, name="survey-thanks"),
]

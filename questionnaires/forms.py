"""Forms: validation only; saving is done by services."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from .models import Answer, Question, Team
from .services import MAX_TEXT_LENGTH


def answer_field_name(question: Question) -> str:
    return f"q-{question.code}"


def comment_field_name(question: Question) -> str:
    return f"comment-{question.code}"


def question_options(question: Question) -> list[tuple[str, str]]:
    options = [(choice.code, choice.label) for choice in question.choices.all()]
    if question.is_scored:
        options.append((Answer.Special.DONT_KNOW, _("Don't know")))
        if question.allow_not_applicable:
            options.append((Answer.Special.NOT_APPLICABLE, _("Not applicable")))
    return options


class AnswersForm(forms.Form):
    """The questions of one page (or the context questions); every answer is optional."""

    def __init__(self, *args, questions: list[Question], with_comments: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = answer_field_name(question)
            if question.kind == Question.Kind.TEXT:
                self.fields[name] = forms.CharField(
                    required=False,
                    max_length=MAX_TEXT_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
            else:
                self.fields[name] = forms.ChoiceField(
                    required=False,
                    choices=question_options(question),
                    widget=forms.RadioSelect,
                    error_messages={
                        "invalid_choice": _(
                            "This answer is not one of the options. Please choose again."
                        )
                    },
                )
            if with_comments and question.kind == Question.Kind.LEVEL:
                self.fields[comment_field_name(question)] = forms.CharField(
                    required=False,
                    max_length=MAX_TEXT_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    validators=[ProhibitNullCharactersValidator()],
                )

    def unknown_fields(self) -> list[str]:
        """Posted answer fields that are not on this page: a tampered form."""
        return [
            key
            for key in self.data
            if key.startswith(("q-", "comment-")) and key not in self.fields
        ]

    def answers(self):
        """(question, value, comment) for every question of the page."""
        for question in self.questions:
            comment = self.cleaned_data.get(comment_field_name(question))
            yield question, self.cleaned_data.get(answer_field_name(question), ""), comment


class TeamChoiceForm(forms.Form):
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        label=_("Which team do you work in?"),
        empty_label=_("Choose your team"),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(organization=organization)

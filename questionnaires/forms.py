"""Forms: validation only; saving is done by services."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from . import brand, logos, richtext
from .models import Answer, Assessment, Phase, Question, Team
from .services import MAX_TEXT_LENGTH, phase_targets


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


# --- Consultant workspace ----------------------------------------------------------------


class NameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)


class AssessmentForm(forms.Form):
    """Settings of an assessment; targets per dimension are added as fields at runtime."""

    title = forms.CharField(label=_("Title"), max_length=200)
    subject_nl = forms.CharField(
        label=_("System or change (Dutch)"),
        max_length=120,
        help_text=_("Inserted into the questions, e.g. “het nieuwe EPD”."),
    )
    subject_en = forms.CharField(label=_("System or change (English)"), max_length=120)
    opens_at = forms.DateTimeField(
        label=_("Opens at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Time in Europe/Amsterdam."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        choices=[("nl", _("Dutch")), ("en", _("English"))],
        widget=forms.CheckboxSelectMultiple,
    )
    auto_mail = forms.BooleanField(
        label=_("Send invitations and reminders automatically"),
        required=False,
        help_text=Assessment._meta.get_field("auto_mail").help_text,
    )
    anonymity_threshold = forms.IntegerField(
        label=_("Anonymity threshold"),
        min_value=3,
        max_value=50,
        help_text=_("Smallest group whose results are shown. Locked after the first response."),
    )
    comment_threshold = forms.IntegerField(label=_("Comment threshold"), min_value=3, max_value=50)
    target_phase = forms.ModelChoiceField(
        label=_("Phase the client aims at"), queryset=None, required=False
    )
    claimed_phase = forms.ModelChoiceField(
        label=_("Official phase now"), queryset=None, required=False
    )
    # The phase whose expected levels the targets on screen were prefilled with: a target
    # still at that level follows a newly chosen phase, one the consultant changed stays.
    targets_phase = forms.CharField(required=False, widget=forms.HiddenInput)
    overall_share = forms.DecimalField(
        label=_("Overall level: share of dimensions that must reach it"),
        min_value=0.5,
        max_value=1,
        decimal_places=2,
        initial=0.8,
    )
    overall_tolerance = forms.IntegerField(
        label=_("Overall level: tolerance below it (levels)"), min_value=0, max_value=2, initial=1
    )
    dont_know_limit = forms.DecimalField(
        label=_("“Limited visibility” from this share of “don't know”"),
        min_value=0.1,
        max_value=0.9,
        decimal_places=2,
        initial=0.3,
    )

    def __init__(self, *args, maturity_model, lock_thresholds: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        phases = maturity_model.phases.order_by("order")
        self.fields["target_phase"].queryset = phases
        self.fields["claimed_phase"].queryset = phases
        self.phase_levels = phase_targets(maturity_model)
        self.dimensions = list(maturity_model.dimensions.order_by("order"))
        for dimension in self.dimensions:
            self.fields[f"target_{dimension.code}"] = forms.IntegerField(
                label=dimension.name, min_value=1, max_value=6
            )
        if lock_thresholds:
            for name in ("anonymity_threshold", "comment_threshold"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing moment must be after the opening moment."))
        # Only a form we rendered says which phase its targets came from; targets posted
        # without it (a script) are taken as they are.
        if "target_phase" in data and "targets_phase" in self.data:
            before = self._phase_or_none(data.get("targets_phase"))
            self._follow_phase(data, before, data.get("target_phase"))
        return data

    def _follow_phase(self, targets: dict, before: Phase | None, after: Phase | None) -> None:
        """Targets still at the expected level of the phase they were prefilled from take
        the level of the phase chosen now; a target the consultant changed is kept."""
        old = self.phase_levels[before.pk if before else None]
        new = self.phase_levels[after.pk if after else None]
        for dimension in self.dimensions:
            name = f"target_{dimension.code}"
            if targets.get(name) is None or targets[name] == old[dimension.code]:
                targets[name] = new[dimension.code]
        targets["targets_phase"] = after.pk if after else ""

    @classmethod
    def with_phase_applied(cls, data, **kwargs) -> "AssessmentForm":
        """The form as posted, its targets following the chosen phase, without checking
        the rest: the round trip of "Use this phase's levels" for browsers without
        JavaScript. Disabled (locked) fields keep their `initial`."""
        posted = cls(data, **kwargs)
        initial = dict(kwargs.pop("initial", None) or {})
        for name, field in posted.fields.items():
            if name in data and not field.disabled:
                many = isinstance(field.widget, forms.CheckboxSelectMultiple)
                initial[name] = data.getlist(name) if many else data.get(name)
        for name in [f"target_{d.code}" for d in posted.dimensions]:
            try:
                initial[name] = posted.fields[name].clean(initial.get(name))
            except ValidationError:
                initial[name] = None
        phases = [
            posted._phase_or_none(data.get(name)) for name in ("targets_phase", "target_phase")
        ]
        posted._follow_phase(initial, *phases)
        return cls(initial=initial, **kwargs)

    def _phase_or_none(self, value) -> Phase | None:
        try:
            return self.fields["target_phase"].clean(value)
        except ValidationError:
            return None

    def target_fields(self):
        return [self[f"target_{d.code}"] for d in self.dimensions]

    def target_rows(self) -> list[tuple]:
        """Each target field with its level per phase (phase pk, "" for none), as JSON for
        the script that updates the targets at once when the phase changes."""
        return [
            (
                self[f"target_{d.code}"],
                json.dumps(
                    {str(pk or ""): levels[d.code] for pk, levels in self.phase_levels.items()}
                ),
            )
            for d in self.dimensions
        ]

    def values(self) -> tuple[dict, dict[str, int]]:
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "title",
                "subject_nl",
                "subject_en",
                "opens_at",
                "closes_at",
                "anonymity_threshold",
                "comment_threshold",
                "target_phase",
                "claimed_phase",
                "auto_mail",
            )
        }
        values["languages"] = list(data["languages"])
        values["scoring_parameters"] = {
            "overall_share": float(data["overall_share"]),
            "overall_tolerance": data["overall_tolerance"],
            "dont_know_limit": float(data["dont_know_limit"]),
        }
        targets = {d.code: data[f"target_{d.code}"] for d in self.dimensions}
        return values, targets


class TeamLinkForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("Optional: how many people may use this link."),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = organization.teams.all()


class InvitationUploadForm(forms.Form):
    people = forms.CharField(
        label=_("Paste e-mail addresses or CSV lines"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One person per line: email, name, team (and optionally language nl/en)."),
    )
    csv_file = forms.FileField(label=_("Or upload a CSV file"), required=False)

    MAX_BYTES = 1_000_000

    def clean(self):
        data = super().clean()
        upload = data.get("csv_file")
        text = data.get("people") or ""
        if upload:
            if upload.size > self.MAX_BYTES:
                raise forms.ValidationError(_("The file is too large (at most 1 MB)."))
            raw = upload.read()
            for encoding in ("utf-8-sig", "cp1252"):
                try:
                    text = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
        if not text.strip():
            raise forms.ValidationError(_("Paste at least one e-mail address or choose a file."))
        data["text"] = text
        return data


class ManagerInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the manager"))
    language = forms.ChoiceField(
        label=_("Language of the e-mail"), choices=[("nl", _("Dutch")), ("en", _("English"))]
    )


class RespondentLookupForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the respondent"))


class LogoField(forms.FileField):
    """An uploaded logo, read as bytes and checked as the service will store it."""

    widget = forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,.svg"})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        if upload.size > logos.MAX_BYTES:
            raise ValidationError(_("The logo is too large: at most 1 MB."))
        raw = upload.read()
        logos.logo_clean(raw)  # its message, in the user's language, when refused
        return raw


class BrandingForm(forms.Form):
    name = forms.CharField(label=_("Name of the consultancy"), max_length=120, required=False)
    logo = LogoField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or SVG, at most 1 MB. We store our own clean copy of it."),
    )
    logo_remove = forms.BooleanField(label=_("Remove the logo"), required=False)
    primary_colour = forms.CharField(
        label=_("Main colour"),
        required=False,
        max_length=7,
        help_text=_("For headings, links and buttons: it must read on white (4.5:1)."),
        widget=forms.TextInput(attrs={"placeholder": "#0b5563", "spellcheck": "false"}),
    )
    accent_colour = forms.CharField(
        label=_("Second colour"),
        required=False,
        max_length=7,
        help_text=_("For lines and the band on the report's cover (3:1 on white)."),
        widget=forms.TextInput(attrs={"placeholder": "#6fb3bf", "spellcheck": "false"}),
    )
    contact = forms.CharField(
        label=_("Contact details"),
        required=False,
        max_length=600,
        help_text=_("Address, telephone, e-mail and website, one per line."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    sign_off_nl = forms.CharField(
        label=_("Sign-off in Dutch"),
        required=False,
        max_length=600,
        help_text=_("Ends the report and the e-mails, e.g. “Met vriendelijke groet, …”."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sign_off_en = forms.CharField(
        label=_("Sign-off in English"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_primary_colour(self):
        return brand.colour_clean(self.cleaned_data["primary_colour"], needed=brand.TEXT_CONTRAST)

    def clean_accent_colour(self):
        return brand.colour_clean(self.cleaned_data["accent_colour"], needed=brand.GRAPHIC_CONTRAST)


class ClientLogoForm(forms.Form):
    logo = LogoField(
        label=_("The client's logo"),
        required=False,
        help_text=_("Shown beside yours on the report's cover. PNG, JPEG or SVG, at most 1 MB."),
    )
    logo_remove = forms.BooleanField(label=_("Remove the client's logo"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("logo") and not data.get("logo_remove") and not self.errors:
            raise ValidationError(_("Choose a file, or tick the box to remove the logo."))
        return data


class NotesForm(forms.Form):
    """The consultant's summary and notes of one assessment: a text per subject and
    language, named ``<subject>|<language>`` (see `services.note_subjects`)."""

    def __init__(self, *args, subjects: list[tuple[str, str]], languages: list[str],
                 texts: dict[tuple[str, str], str], **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        for subject, label in subjects:
            for language in languages:
                self.fields[f"{subject}|{language}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=richtext.MAX_LENGTH,
                    initial=texts.get((subject, language), ""),
                    widget=forms.Textarea(attrs={"rows": 8 if subject == "summary" else 3}),
                )

    def notes(self) -> list[tuple[str, str, str]]:
        """(subject, language, text) of every field."""
        return [
            (*name.split("|", 1), self.cleaned_data.get(name) or "")  # type: ignore[misc]
            for name in self.fields
        ]

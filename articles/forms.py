"""The article change form: publishing choices, callouts read from the body,
and stale-save protection that shows both versions."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from . import editorial
from .article_markdown import MarkdownFormatError, extract_callouts
from .merging import row_conflicts
from .models import Author, Callout, Status
from .rendering import markers_in
from .revisions import edit_token, opened_version, stale_conflicts, stale_form_message

# A line end typed or pasted into a wrapping headline box (with the spaces around it), or a run
# of spaces: each becomes one space.
TYPED_LINE_END = re.compile(r"[ ]*(?:\r\n|\r|\n)[ ]*| {2,}")

CALLOUT_MARKER_FIELD = re.compile(r"^callouts-(\d+)-marker$")
# The publishing panel's buttons: save the form and make the change in one click.
PUBLISH_NOW, SCHEDULE, UNPUBLISH = "_publish_now", "_schedule", "_unpublish"
PUBLISHING_BUTTONS = (PUBLISH_NOW, SCHEDULE, UNPUBLISH)


def pending_callouts(article):
    """Callouts the body's blockquotes turned into on this save (created after the rows)."""
    return getattr(article, "pending_callouts", [])


class CalloutFormSet(BaseInlineFormSet):
    """Every callout must have its marker in the body, and every marker a callout."""

    def clean(self):
        super().clean()
        body_markers = set(markers_in(self.instance.body))
        callout_markers = {callout.marker for callout in pending_callouts(self.instance)}
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            marker = form.cleaned_data.get("marker")
            if marker and marker not in body_markers:
                form.add_error(
                    "marker",
                    f"The body has no line [[callout:{marker}]]. Add that line where this "
                    "callout belongs, or change the marker.",
                )
            callout_markers.add(marker)
        missing = sorted(body_markers - callout_markers)
        if missing:
            raise ValidationError(
                "The body places callouts that do not exist: "
                + ", ".join(f"[[callout:{name}]]" for name in missing)
                + ". Add a callout with that marker, or remove the line from the body."
            )


class CalloutForm(forms.ModelForm):
    class Meta:
        model = Callout
        fields = ["kind", "label", "marker", "body"]
        widgets = {"marker": forms.TextInput(attrs={"class": "callout-marker", "size": 16})}


class AuthorAdminForm(forms.ModelForm):
    class Meta:
        model = Author
        fields = ["name", "slug", "kind", "job_title", "bio", "profile_links", "portrait", "user"]

    def clean_user(self):
        """One login has one byline: name the byline that already has it."""
        user = self.cleaned_data.get("user")
        if user is None:
            return user
        taken = Author.objects.filter(user=user).exclude(pk=self.instance.pk).first()
        if taken is not None:
            raise ValidationError(
                f"{user.get_username()} already has a byline: “{taken.name}”. One login has "
                "one byline; unlink it there first, or choose that byline on the article.",
                code="unique",
            )
        return user


class CorrectionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.is_public:
            return
        for form in self.forms:
            data = form.cleaned_data
            if data and not data.get("DELETE") and form.instance.pk is None and form.has_changed():
                raise ValidationError(
                    "Corrections go on published articles. While the article is unpublished, "
                    "fix the text itself."
                )


# The field's real limit is its max_length; this is what search results show of it.
SEARCH_LIMITS = {
    "title": editorial.SEARCH_TITLE_LIMIT,
    "seo_title": editorial.SEARCH_TITLE_LIMIT,
    "standfirst": editorial.SEARCH_DESCRIPTION_LIMIT,
    "seo_description": editorial.SEARCH_DESCRIPTION_LIMIT,
}
HEADLINE_FIELDS = ["title", "standfirst", "kicker"]
# The headline fields have no box (admin.css): an empty one says what goes there.
HEADLINE_PLACEHOLDERS = {
    "title": "Write the headline",
    "standfirst": "What happened, in one sentence",
    "kicker": "Why it matters, in a line (optional)",
}


class ArticleAdminForm(forms.ModelForm):
    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # Set per request by ArticleAdmin.get_form: the statuses this user may choose.
    allowed_statuses = list(Status)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts = []
        if self.instance.pk:
            self.fields["loaded_version"].initial = edit_token(self.instance.updated_at)
        if "status" in self.fields:
            field = self.fields["status"]
            field.choices = [(status.value, status.label) for status in self.allowed_statuses]
            field.error_messages["invalid_choice"] = (
                "Only editors publish, schedule or unpublish. Choose “In review” to hand "
                "the article to an editor."
            )
        for name, limit in SEARCH_LIMITS.items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-search-limit"] = limit
        for name in HEADLINE_FIELDS:
            # Written in the page's own type, as wide as the page and as tall as the text
            # (see admin.css); one line all the same: see clean_one_line.
            if name in self.fields:
                attrs = {
                    **self.fields[name].widget.attrs,
                    "rows": 1,
                    "class": f"desk-{name}",
                    "placeholder": HEADLINE_PLACEHOLDERS[name],
                }
                self.fields[name].widget = forms.Textarea(attrs=attrs)
        if "title" in self.fields:
            self.fields["title"].label = "Headline"
        if "slug" in self.fields and self.instance.is_public:
            self.fields["slug"].widget.attrs["data-published-slug"] = self.instance.slug

    def clean_one_line(self, name):
        """The headline fields wrap like the page does, so Enter or a pasted line end is a
        typing slip: it becomes a space. Every other control is refused by the model."""
        return TYPED_LINE_END.sub(" ", self.cleaned_data.get(name, "")).strip()

    def clean_title(self):
        return self.clean_one_line("title")

    def clean_standfirst(self):
        return self.clean_one_line("standfirst")

    def clean_kicker(self):
        return self.clean_one_line("kicker")

    def clean_body(self):
        """Callouts pasted or typed as the reference writes them become callout rows."""
        body = self.cleaned_data.get("body", "")
        taken = {
            value
            for key, value in self.data.items()
            if CALLOUT_MARKER_FIELD.match(key) and isinstance(value, str)
        }
        try:
            body, callouts = extract_callouts(body, taken=taken)
        except MarkdownFormatError as error:
            raise ValidationError(f"Line {error.line}: {error.args[0].split(': ', 1)[1]}") from None
        self.instance.pending_callouts = callouts
        return body

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self.refuse_stale_save(cleaned.get("loaded_version"))
        self.apply_publishing_button(cleaned)
        return cleaned

    def apply_publishing_button(self, cleaned):
        """The status a publishing button asks for; the save then goes through
        workflow.change_status, which checks the person may make it."""
        now = timezone.now()
        if PUBLISH_NOW in self.data:
            cleaned["status"], cleaned["published_at"] = Status.PUBLISHED, now
        elif SCHEDULE in self.data:
            when = cleaned.get("published_at")
            if when is None or when <= now:
                self.add_error("published_at", "Set a date and time in the future to schedule.")
            else:
                cleaned["status"] = Status.PUBLISHED
        elif UNPUBLISH in self.data:
            cleaned["status"] = Status.UNPUBLISHED

    def refuse_stale_save(self, loaded):
        current = edit_token(self.instance.updated_at)
        if loaded == current:
            return
        opened = opened_version(self.instance, loaded)
        self.conflicts = stale_conflicts(self.instance, opened, self.data) + row_conflicts(
            self.instance, self.data, opened
        )
        for conflict in self.conflicts:
            if conflict["name"] in self.fields:
                conflict["label"] = self.fields[conflict["name"]].label
        # The form comes back with the person's text and both versions side by side; it now
        # carries the current version, so saving it again, after choosing, goes through.
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = current
        if not loaded:
            raise ValidationError(
                "This form does not say which version of the article it was opened at. "
                "Your text is kept below: compare it with the saved article, then save again.",
                code="stale",
            )
        raise ValidationError(stale_form_message(self.instance, loaded), code="stale")

"""The search index: one entry per record and language, and the two-character grams of its text.

Japanese has no spaces between words, so words cannot be indexed; every pair of
adjacent characters (a bigram) is, which finds any substring of two characters
or more on SQLite and PostgreSQL alike (core.search explains the query).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .visibility import Visibility


class SearchEntry(models.Model):
    """What the index knows of one record in one language: its text, display title, link and readers."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+", verbose_name=_("type")
    )
    object_id = models.PositiveBigIntegerField(_("record"))
    language = models.CharField(_("language"), max_length=8)
    title = models.TextField(_("title"))
    # NFKC and casefolded: what the query is compared with (title_text is the start of text, kept for ranking).
    title_text = models.TextField(_("title, normalised"))
    text = models.TextField(_("text, normalised"))
    # [[url name, [args]], ...]: the first name the page's URL namespace knows is the link.
    links = models.JSONField(_("links"), default=list)
    # Who may read it, the most restrictive of the record's own level and its parents' (see core.search.Access).
    visibility = models.CharField(_("visibility"), max_length=16, choices=Visibility.choices)
    audience_groups = models.ManyToManyField("auth.Group", blank=True, related_name="+", verbose_name=_("named groups"))
    available_from = models.DateTimeField(_("embargoed until"), null=True, blank=True)
    date = models.DateTimeField(_("date"), null=True, blank=True)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"], name="core_searchentry_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} [{self.language}] {self.title}"


class SearchGram(models.Model):
    """A two-character gram of an entry's text (one character where no second follows it in a word).

    The primary key (entry, gram) serves re-indexing a record (its entries'
    grams are deleted and inserted together); the index (gram, entry) serves
    queries, which look grams up and count entries without reading the table.
    Bulk loads drop that index and build it again at the end (core.search).
    """

    pk = models.CompositePrimaryKey("entry", "gram")
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="grams", db_index=False)
    gram = models.CharField(_("gram"), max_length=2)

    class Meta:
        verbose_name = _("search gram")
        verbose_name_plural = _("search grams")
        indexes = [models.Index(fields=["gram", "entry"], name="core_searchgram_lookup")]

    def __str__(self) -> str:
        return f"{self.gram} → {self.entry_id}"

"""The notebook front-end: :class:`ShapeWidget`, built from standard ipywidgets.

This package is the only part of shapewidget that imports ipywidgets; ``import
shapewidget`` does not load it (``shapewidget.ShapeWidget`` imports it on first use).

Stable CSS classes (``widget.add_class``), for browser tests and automation:

========================  ==========================================================
``sw-widget``             the whole widget
``sw-status``             the status line; plus ``sw-status-ok`` / ``-invalid`` /
                          ``-error`` (Keras would reject the model) / ``-internal``
``sw-undo``, ``sw-redo``  undo and redo buttons
``sw-preset``             preset picker; ``sw-load-preset`` its button
``sw-input-shape``        input shape text (``50, 50, 3``); ``sw-batch-size`` batch text
                          (``None`` or a number); ``sw-input-dtype`` dtype picker
``sw-input-message``      messages for bad input values; ``sw-input-info`` what Keras
                          prints and the number of values
``sw-layers``             the layer rows; ``sw-empty`` the note shown with no layers
``sw-layer``              one per layer row (also ``sw-layer-<index>``); with
                          ``sw-selected``, ``sw-layer-error`` (Keras rejects this layer),
                          ``sw-layer-invalid`` (a typed value is invalid)
``sw-select-layer``       a row's select button; ``sw-layer-title``, ``sw-layer-output``
``sw-arg-<argument>``     a row's control for one argument; ``sw-units`` for ``units``
``sw-invalid``            on a control whose typed value is invalid
``sw-move-up``, ``sw-move-down``, ``sw-duplicate-layer``, ``sw-remove-layer``
                          row buttons; ``sw-advanced`` the "more" toggle,
                          ``sw-advanced-args`` the extra arguments, ``sw-layer-message``
``sw-layer-type``         layer type picker; ``sw-layer-position``; ``sw-add-layer``
``sw-paste``              paste box; ``sw-paste-code`` text, ``sw-paste-apply`` button,
                          ``sw-paste-message``
``sw-views``              the views; ``sw-tabs`` their tabs; ``sw-stale-note``
``sw-diagram``            the drawing pane (``sw-diagram-image`` PNG, or
                          ``sw-diagram-text``; with ``drawing="ipympl"``,
                          ``sw-diagram-canvas`` the ipympl canvas, or ``sw-drawing-note``
                          saying why the image is shown instead)
``sw-table``              the shape table; ``sw-code`` the Keras code,
                          ``sw-code-style`` its style buttons; ``sw-explanation``
``sw-stale``              on ``sw-views``, ``sw-diagram`` and ``sw-table`` while they show
                          the last valid model because a typed value is invalid
``sw-input-name``         the first input's name (functional models)
``sw-add-input``          adds a model input; ``sw-extra-inputs`` holds one
                          ``sw-extra-input`` (also ``sw-extra-input-<index>``) per further
                          input: ``sw-extra-input-name``, ``-shape``, ``-batch``,
                          ``-dtype``, ``-info``, ``-message`` and ``sw-remove-input``
``sw-new-inbound``        the tensors a new layer takes (empty: the previous tensor)
``sw-inbound``            a layer row's tensors (empty: the previous tensor)
``sw-share-layer``        a row's "call again on…" button: adds a shared layer
``sw-shares``             a shared layer row's "shares 'x'" note
``sw-outputs``            the model's output tensors (empty: automatic), in
                          ``sw-outputs-box``; ``sw-outputs-message``
========================  ==========================================================
"""

from __future__ import annotations

from .app import ShapeWidget

__all__ = ["ShapeWidget"]

//! Error collection: every rule adds to one [`Ctxt`]; a struct's errors are reported together.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use std::cell::RefCell;
use std::fmt::Display;

/// All errors found in one model struct (or `#[derive(ModelEnum)]` enum), each spanned at the
/// offending tokens.
///
/// ```
/// # use model_core::{ir::Dialect, parse::parse_model};
/// let input: syn::DeriveInput = syn::parse_quote! {
///     struct User { #[model(primry_key)] id: i64 }
/// };
/// let errors = parse_model(&input, Dialect::Postgres).unwrap_err();
/// assert!(errors.iter().any(|e| e.to_string().contains("primary_key")));
/// ```
#[derive(Debug, Clone)]
pub struct Errors {
    errors: Vec<syn::Error>,
    partial: Option<Box<super::ModelDef>>,
}

impl Errors {
    /// The errors, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &syn::Error> {
        self.errors.iter()
    }

    /// One `compile_error!` per error, each at its span.
    pub fn to_compile_error(&self) -> TokenStream {
        self.errors.iter().map(syn::Error::to_compile_error).collect()
    }

    /// The errors, owned.
    pub fn into_vec(self) -> Vec<syn::Error> {
        self.errors
    }

    /// What could be read of the model despite the errors (the table name, the module and the fields
    /// whose type is known), for a stub that keeps follow-on errors away; `None` when not even that
    /// could be read (not a struct with named fields).
    pub fn partial(&self) -> Option<&super::ModelDef> {
        self.partial.as_deref()
    }

    /// The number of errors (never 0 for an `Errors` returned by the parser).
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// `true` when there is no error (never the case for an `Errors` returned by the parser).
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
}

impl std::fmt::Display for Errors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// The error collector shared by the parse, check and lower stages.
#[derive(Default)]
pub(crate) struct Ctxt {
    errors: RefCell<Vec<syn::Error>>,
}

impl Ctxt {
    /// An error spanned at `tokens` (which may be several tokens: the whole type, a list).
    pub(crate) fn spanned_by<T: ToTokens, M: Display>(&self, tokens: T, msg: M) {
        self.errors
            .borrow_mut()
            .push(syn::Error::new_spanned(tokens.into_token_stream(), msg));
    }

    /// An error at one span (a key, a literal).
    pub(crate) fn at<M: Display>(&self, span: Span, msg: M) {
        self.errors.borrow_mut().push(syn::Error::new(span, msg));
    }

    /// A parse error from syn, kept as it is.
    pub(crate) fn syn(&self, err: syn::Error) {
        self.errors.borrow_mut().push(err);
    }

    /// `true` when an error was recorded.
    pub(crate) fn has_errors(&self) -> bool {
        !self.errors.borrow().is_empty()
    }

    /// `Ok(model)` when no error was recorded, else every error with the best-effort model.
    pub(crate) fn finish(self, model: super::ModelDef) -> Result<super::ModelDef, Errors> {
        if !self.has_errors() {
            Ok(model)
        } else {
            Err(self.into_errors(Some(model)))
        }
    }

    /// The recorded errors (at least one), with the best-effort model if any.
    pub(crate) fn into_errors(self, partial: Option<super::ModelDef>) -> Errors {
        let mut errors = self.errors.into_inner();
        if errors.is_empty() {
            errors.push(syn::Error::new(
                Span::call_site(),
                "internal error: the model was refused without a reason; please report it",
            ));
        }
        Errors {
            errors,
            partial: partial.map(Box::new),
        }
    }
}

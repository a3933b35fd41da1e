"""Convert one file to PDF through an already running LibreOffice (run by Debian's python3, which has uno).

Usage: /usr/bin/python3 uno_convert.py PIPE_NAME INPUT OUTPUT_PDF
The venv cannot import uno (it is Debian's Python binding), so the app calls this script as a program
with a timeout. It loads the document hidden, read-only, with macros never executed and links never
updated, writes a PDF, and closes the document. Exit 0 on success; 2 when LibreOffice cannot be
reached (the caller restarts it); 1 when the document cannot be converted.
"""

import sys


def main(pipe: str, source: str, target: str) -> int:
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException

    def props(**values):
        out = []
        for name, value in values.items():
            prop = PropertyValue()
            prop.Name, prop.Value = name, value
            out.append(prop)
        return tuple(out)

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    try:
        context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
    except NoConnectException:
        return 2
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    # MacroExecutionMode 0 = NEVER_EXECUTE; UpdateDocMode 0 = NO_UPDATE (no remote links refreshed).
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0,
        props(Hidden=True, ReadOnly=True, MacroExecutionMode=0, UpdateDocMode=0, Silent=True),
    )
    if document is None:
        return 1
    try:
        if document.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
            export = "calc_pdf_Export"
        elif document.supportsService("com.sun.star.presentation.PresentationDocument"):
            export = "impress_pdf_Export"
        else:
            export = "writer_pdf_Export"
        document.storeToURL(uno.systemPathToFileUrl(target), props(FilterName=export))
    finally:
        document.close(True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(*sys.argv[1:4]))
    except Exception as exc:  # noqa: BLE001 - any UNO error means this file could not be converted
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
